/* After a failed submit: the error summary gets focus and the page title starts with the error
   (WCAG 3.3.1, 4.1.3). The server marks the title itself when the form is called "form"; this
   covers forms under other names. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  function ready() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    var prefix = summary.getAttribute("data-title-prefix");
    if (prefix && document.title.indexOf(prefix) !== 0) {
      document.title = prefix + document.title;
    }
    summary.focus();
    // A link in the summary moves focus to its field, not just the scroll position.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
