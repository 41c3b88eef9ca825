/* Keeps a CPR number out of URLs (issue 16, part 4).
 *
 * A search form sent with GET puts its fields in the address. When a field of such a form
 * holds a CPR-shaped value (DDMMYY-XXXX, ten digits), the search is sent instead as a POST to
 * the CPR look-up, through the hidden form #cpr-lookup-post in base.html, and the visible field
 * is emptied. Without that form (a user who may not look citizens up) the search is dropped.
 * The server refuses such a GET as well (csrprogram.middleware.CprQueryGuardMiddleware).
 */
(function () {
  "use strict";
  var CPR_SHAPED = /^\s*\d{6}[- ]?\d{4}\s*$/;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") {
      return;
    }
    var fields = form.querySelectorAll("input");
    for (var i = 0; i < fields.length; i += 1) {
      var field = fields[i];
      if (field.type !== "hidden" && CPR_SHAPED.test(field.value)) {
        event.preventDefault();
        var value = field.value.trim();
        field.value = "";
        var lookup = document.getElementById("cpr-lookup-post");
        if (lookup) {
          lookup.elements.cpr.value = value;
          lookup.submit();
        }
        return;
      }
    }
  }, true);
})();
