/* Company pickers that scale (issue 14): an autocomplete over the scoped JSON endpoint
 * companies:company-autocomplete, with tom-select (static/vendor/tom-select, see VERSION).
 *
 * The field is a text input (companies.forms.CompanyPickerInput) that takes a CVR number or a
 * name without JavaScript; here it becomes a one-item tom-select whose value is the chosen
 * company's CVR, so the form submits the same as when typed. Texts come from data- attributes
 * (translated on the server); no inline script, so the strict CSP holds.
 */
(function () {
  "use strict";

  function picker(input) {
    var url = input.dataset.url;
    var selected = [];
    try {
      selected = JSON.parse(input.dataset.selected || "[]");
    } catch (error) {
      selected = [];
    }
    var labelledBy = input.id ? document.querySelector("label[for='" + input.id + "']") : null;
    var labelText = labelledBy ? labelledBy.textContent.trim() : "";
    // tom-select points the <label> at its own control; the original input, kept (hidden) as
    // the form's value, keeps an accessible name of its own.
    if (labelText) {
      input.setAttribute("aria-label", labelText);
    }
    var control = new TomSelect(input, {
      maxItems: 1,
      create: false,
      persist: false,
      valueField: "cvr",
      labelField: "label",
      searchField: [],
      options: selected,
      items: selected.map(function (company) { return company.cvr; }),
      placeholder: input.getAttribute("placeholder") || "",
      loadThrottle: 250,
      // The server ranks and limits the matches; keep its order instead of scoring again.
      score: function () { return function () { return 1; }; },
      shouldLoad: function (query) { return query.trim().length >= 2; },
      load: function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) {
            self.clearOptions();
            callback(body.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (company, escape) {
          return "<div><span class=\"fw-semibold\">" + escape(company.name) + "</span> " +
            "<small class=\"text-body-secondary\">CVR " + escape(company.cvr) +
            (company.city ? " · " + escape(company.city) : "") + "</small></div>";
        },
        item: function (company, escape) {
          return "<div>" + escape(company.label) + "</div>";
        },
        no_results: function () {
          return "<div class=\"no-results\">" + input.dataset.noResults + "</div>";
        },
        loading: function () {
          return "<div class=\"spinner\" role=\"status\">" + input.dataset.loading + "</div>";
        }
      }
    });
    if (labelText && control.control_input) {
      control.control_input.setAttribute("aria-label", labelText);
    }
  }

  function start() {
    if (typeof TomSelect === "undefined") {
      return; // the plain text field still takes a CVR number or a name
    }
    var inputs = document.querySelectorAll("input[data-company-picker]");
    for (var i = 0; i < inputs.length; i += 1) {
      picker(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
