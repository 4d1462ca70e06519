// Buttons with data-confirm="…" ask before their form is sent (an action that
// cannot be undone). Without JavaScript the button simply submits.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
