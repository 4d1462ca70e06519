// Small behaviours shared by every page.
//
// A table wider than the screen scrolls inside its .table-responsive wrapper;
// keyboard users can only scroll it if the wrapper can take focus (WCAG 2.1.1).
// The wrapper becomes a named, focusable region while (and only while) it overflows.
(function () {
  "use strict";

  function regionName(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var table = wrapper.querySelector("table[aria-label]");
    if (table) return table.getAttribute("aria-label");
    var section = wrapper.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function markScrollable(root) {
    (root || document).querySelectorAll(".table-responsive").forEach(function (wrapper) {
      if (wrapper.dataset.portalRegion === "own") return; // the template set these itself
      var overflows = wrapper.scrollWidth > wrapper.clientWidth + 1;
      if (overflows && !wrapper.hasAttribute("tabindex")) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        var name = regionName(wrapper);
        if (name) wrapper.setAttribute("aria-label", name);
        wrapper.dataset.portalRegion = "auto";
      } else if (!overflows && wrapper.dataset.portalRegion === "auto") {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
        delete wrapper.dataset.portalRegion;
      }
    });
  }

  var pending = null;
  function schedule() {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { pending = null; markScrollable(document); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", schedule);
  } else {
    schedule();
  }
  window.addEventListener("resize", schedule);
  document.addEventListener("htmx:afterSettle", schedule);
})();

// A progress bar's width comes from its data-progress (0–100): a style="width: …"
// attribute would be refused by the Content-Security-Policy. Also for the bars
// htmx swaps in while a compilation runs.
(function () {
  "use strict";
  function drawProgress(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-progress]") : [];
    bars.forEach(function (bar) {
      var value = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0));
      bar.style.width = value + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(drawProgress); // the page itself, then every swapped fragment
  } else {
    drawProgress(document);
  }
})();
