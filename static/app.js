// app.js: the page's only script (no inline scripts anywhere).
//
// 1. Orientation after htmx swaps: focus moves to the new step's error
//    summary (if the answer was refused) or its heading, and the polite live
//    region announces the step.
// 2. Session timeout warning (WCAG 2.2.1 Timing Adjustable): the page knows
//    the idle timeout from #session-timer; shortly before it runs out, a
//    non-modal warning offers "Keep my answers", which extends the session
//    with a small POST. Nothing typed on the page is touched.
(function () {
  "use strict";

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
      announcer.textContent = (problem ? problem.textContent + ". " : "") +
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
  document.addEventListener("htmx:after:swap", function () {
    var step = document.getElementById("step");
    if (step) announce(step);
    schedule();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", schedule);
  } else {
    schedule();
  }
})();
