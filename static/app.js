// app.js: the page's only script (no inline scripts anywhere).
//
// 1. Orientation after htmx swaps: focus moves to the new step's error
//    summary (if the answer was refused) or its heading, and the polite live
//    region announces the step.
// 2. Session timeout warning (WCAG 2.2.1 Timing Adjustable): the page knows
//    the idle timeout from #session-timer; shortly before it runs out, a
//    non-modal warning offers "Keep my answers", which extends the session
//    with a small POST. Nothing typed on the page is touched.
// 3. Conditional fields: a field whose condition is on answers of its own
//    step carries it as data in data-show-when (see wizard.ScriptCondition);
//    the field is hidden while the condition does not hold on the form as
//    filled in. Without this script every field shows, and the server
//    ignores the values of fields whose condition does not hold.
(function () {
  "use strict";

  // answers returns the values of the form's field name as the server
  // reads them: ticked boxes only, trimmed, empty and repeated ones left out.
  function answers(form, name) {
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.name !== name) continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      var v = el.value.trim();
      if (v !== "" && out.indexOf(v) < 0) out.push(v);
    }
    return out;
  }

  var plainNumber = /^[+-]?(\d+\.?\d*|\.\d+)$/;

  function realDate(s) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
    var d = new Date(s + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }

  // order compares a number or date answer with a value: -1, 0 or 1, or
  // NaN when either is not one.
  function order(kind, a, b) {
    if (kind === "number") {
      if (!plainNumber.test(a) || !plainNumber.test(b)) return NaN;
      var x = parseFloat(a), y = parseFloat(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (kind === "date") {
      if (!realDate(a) || !realDate(b)) return NaN;
      return a < b ? -1 : a > b ? 1 : 0;
    }
    return NaN;
  }

  function same(kind, a, b) {
    return kind === "number" ? order(kind, a, b) === 0 : a === b;
  }

  // holds evaluates a condition on the form; a field without an answer
  // fails every test ("not answered" comes as not "answered").
  function holds(c, form) {
    var i;
    if (c.not) return !holds(c.not, form);
    if (c.all) {
      for (i = 0; i < c.all.length; i++) if (!holds(c.all[i], form)) return false;
      return true;
    }
    if (c.any) {
      for (i = 0; i < c.any.length; i++) if (holds(c.any[i], form)) return true;
      return false;
    }
    var vs = answers(form, c.field);
    if (vs.length === 0) return false;
    switch (c.test) {
      case "answered": return true;
      case "contains": return vs.indexOf(c.value) >= 0;
      case "eq": return same(c.kind, vs[0], c.value);
      case "ne": return !same(c.kind, vs[0], c.value);
      case "in":
      case "not_in":
        var found = false;
        for (i = 0; c.values && i < c.values.length; i++) found = found || same(c.kind, vs[0], c.values[i]);
        return found === (c.test === "in");
    }
    var o = order(c.kind, vs[0], c.value);
    switch (c.test) {
      case "lt": return o < 0;
      case "le": return o <= 0;
      case "gt": return o > 0;
      case "ge": return o >= 0;
    }
    return false;
  }

  // showFields shows or hides every conditional field under root.
  function showFields(root) {
    var fields = root.querySelectorAll("[data-show-when]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var form = field.closest("form");
      var c;
      try {
        c = JSON.parse(field.getAttribute("data-show-when"));
      } catch (err) {
        continue; // shown: better asked than lost
      }
      if (form) field.hidden = !holds(c, form);
    }
  }

  function announce(step) {
    var summary = step.querySelector(".error-summary");
    var heading = step.querySelector("h1");
    var target = summary || heading;
    if (target) target.focus();
    var announcer = document.getElementById("announcer");
    if (announcer && heading) {
      var progress = step.querySelector("#progress");
      // The summary's own heading: "There is a problem", or why the
      // answers could not be saved.
      var problem = summary && summary.querySelector("h2");
      // What just changed on a list ("Guest 2 added"), said first.
      var note = step.getAttribute("data-announce");
      announcer.textContent = (note ? note + ". " : "") +
        (problem ? problem.textContent + ". " : "") +
        heading.textContent + (progress ? ", " + progress.textContent : "");
    }
  }

  var warnTimer = 0;
  var expireTimer = 0;

  function warning() { return document.getElementById("timeout-warning"); }

  function setWarningText(text) {
    var p = document.getElementById("timeout-warning-text");
    if (p) p.textContent = text;
  }

  function timeLeft(seconds) {
    if (seconds >= 120) return Math.round(seconds / 60) + " minutes";
    if (seconds >= 60) return "1 minute";
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  // schedule (re)starts the timers from the idle timeout of the page's
  // session; every request to the server restarts the idle clock.
  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    var w = warning();
    if (w) w.hidden = true;
    var timer = document.getElementById("session-timer");
    if (!timer || !timer.dataset.idleSeconds) return;
    var idle = parseInt(timer.dataset.idleSeconds, 10);
    var warn = parseInt(timer.dataset.warnSeconds, 10);
    if (!(idle > 0)) return;
    warnTimer = setTimeout(function () {
      setWarningText("Your answers will be deleted in " + timeLeft(warn) +
        " because you have not done anything for a while. Do you want to keep them?");
      var button = document.getElementById("keep-session");
      if (button) button.hidden = false;
      var w = warning();
      if (w) w.hidden = false;
    }, Math.max(0, idle - warn) * 1000);
    expireTimer = setTimeout(function () {
      setWarningText("Your answers were deleted because you did not do anything for " +
        timeLeft(idle) + ". You can start again.");
      var button = document.getElementById("keep-session");
      if (button) button.hidden = true;
    }, idle * 1000);
  }

  function keepSession() {
    var timer = document.getElementById("session-timer");
    var url = timer && timer.dataset.keepaliveUrl;
    if (!url) return;
    fetch(url, { method: "POST", credentials: "same-origin" }).then(function (res) {
      if (res.ok) {
        schedule();
        var announcer = document.getElementById("announcer");
        if (announcer) announcer.textContent = "Your answers will be kept.";
      } else {
        setWarningText("Sorry, your session had already ended and your answers were deleted. You can start again.");
        var button = document.getElementById("keep-session");
        if (button) button.hidden = true;
      }
    }, function () {
      setWarningText("We could not reach the server. Check your connection and try again.");
    });
  }

  document.addEventListener("click", function (e) {
    if (e.target && e.target.id === "keep-session") keepSession();
  });
  function answered(e) {
    if (e.target && e.target.form) showFields(e.target.form);
  }
  document.addEventListener("input", answered);
  document.addEventListener("change", answered);
  document.addEventListener("htmx:after:swap", function () {
    showFields(document);
    var step = document.getElementById("step");
    if (step) announce(step);
    schedule();
  });
  function start() {
    showFields(document);
    schedule();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
