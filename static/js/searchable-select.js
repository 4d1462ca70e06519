// A searchable multi-select (Tom Select, static/vendor/tom-select/) on every
// <select multiple data-searchable-select>: type part of a name, pick it with
// Enter or a click, remove it with its ×. Without JavaScript the plain select works.
(function () {
  "use strict";
  function init(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-searchable-select]").forEach(function (select) {
      if (select.tomselect) return;
      // Tom Select moves the <label for> to its own input; the original select
      // (hidden, still submitted) keeps its name for assistive technology.
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (label && !select.hasAttribute("aria-label")) {
        select.setAttribute("aria-label", label.textContent.replace("*", "").trim());
      }
      new TomSelect(select, {
        // No "checkbox_options": a checkbox inside an option is a control nested in a
        // control for screen readers (axe: nested-interactive, label).
        plugins: ["remove_button"],
        hidePlaceholder: true,
        closeAfterSelect: false,
        maxOptions: null,
        // Keep the server's order (alphabetical in the page's language), not a score.
        sortField: [{ field: "$order" }],
        placeholder: select.getAttribute("data-placeholder") || "",
        render: {
          // Inside the list (role listbox), so an option to assistive technology: a
          // listbox may hold only options (axe: aria-required-children). Disabled, and
          // without data-selectable, so neither the keyboard nor a click picks it.
          no_results: function () {
            return '<div class="no-results" role="option" aria-disabled="true" aria-selected="false">' +
              (select.getAttribute("data-no-results") || "—") + "</div>";
          },
        },
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
