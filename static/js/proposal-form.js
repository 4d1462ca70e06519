// The proposal form: a field wrapped in [data-show-for-route="urgent"] is shown only
// while that route is chosen. Without JavaScript every field stays visible.
(function () {
  var route = document.querySelector("select[name=route]");
  if (!route) return;
  var blocks = document.querySelectorAll("[data-show-for-route]");
  function update() {
    blocks.forEach(function (block) {
      block.hidden = block.getAttribute("data-show-for-route") !== route.value;
    });
  }
  route.addEventListener("change", update);
  update();
})();
