// app.js: orientation after htmx swaps. When a new step arrives, move focus
// to its error summary (if the answer was refused) or its heading, and
// announce it in the polite live region, so that keyboard and screen reader
// users know the page changed. No inline scripts: this file is all there is.
(function () {
  "use strict";
  document.addEventListener("htmx:after:swap", function () {
    var step = document.getElementById("step");
    if (!step) return;
    var summary = step.querySelector(".error-summary");
    var heading = step.querySelector("h1");
    var target = summary || heading;
    if (target) target.focus();
    var announcer = document.getElementById("announcer");
    if (announcer && heading) {
      var progress = step.querySelector("#progress");
      announcer.textContent = (summary ? "There is a problem. " : "") +
        heading.textContent + (progress ? ", " + progress.textContent : "");
    }
  });
})();
