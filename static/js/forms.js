// After a form comes back with errors, put the focus on the first field in error
// (not on the top of the page), so keyboard and screen-reader users land where
// the work is. Applies to every form of the portal; no form needs its own code.
(function () {
  "use strict";
  function focusable(el) {
    if (el.matches("fieldset")) return el.querySelector("input, select, textarea");
    // A select enhanced by Tom Select is hidden; its control takes the focus.
    if (el.tomselect) return el.tomselect.control_input;
    return el;
  }
  function focusFirstError() {
    var invalid = document.querySelector(
      "main form .is-invalid:not(.invalid-feedback), main form [aria-invalid='true']"
    );
    var target = invalid ? focusable(invalid) : null;
    if (!target) {
      // Only a form-wide error: focus its summary.
      target = document.querySelector("main form .alert-danger");
      if (target && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    }
    if (!target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  // After the other DOMContentLoaded handlers (Tom Select) have built their controls.
  window.addEventListener("load", focusFirstError);
})();
