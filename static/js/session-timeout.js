/* The idle warning (issue 12): shown CSR_SESSION_WARNING_SECONDS before the session's idle
   limit; "Stay logged in" asks the server (which counts it as activity) and starts again;
   at the limit the page goes to the login page. No inline script: CSP-safe. */
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warning = Number(box.dataset.warningSeconds) * 1000;
  var left = box.querySelector("[data-session-left]");
  var button = box.querySelector("button");
  var timers = [];

  function show(seconds) {
    var s = Math.max(0, Math.round(seconds));
    left.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function toLogin() {
    window.location.assign(box.dataset.loginUrl + "?next=" +
      encodeURIComponent(window.location.pathname + window.location.search));
  }

  function schedule() {
    timers.forEach(function (t) { clearTimeout(t); clearInterval(t); });
    box.hidden = true;
    var started = Date.now();
    timers = [
      setTimeout(function () {
        show((idle - (Date.now() - started)) / 1000);
        box.hidden = false;
        button.focus();
        timers.push(setInterval(function () {
          show((idle - (Date.now() - started)) / 1000);
        }, 1000));
      }, Math.max(0, idle - warning)),
      setTimeout(toLogin, idle)
    ];
  }

  button.addEventListener("click", function () {
    fetch(box.dataset.keepaliveUrl, {credentials: "same-origin",
                                     headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.ok && !response.redirected) { schedule(); } else { toLogin(); }
      })
      .catch(toLogin);
  });
  schedule();
}());
