/*
 * Draws the portal's charts with Chart.js (static/vendor/chartjs/chart.umd.min.js,
 * loaded before this file). Each chart is a <canvas data-chart="ID"> whose data sits
 * in <script type="application/json" id="ID"> (Django's json_script), shaped as:
 *
 *   {type: "bar" | "line" | "doughnut", labels: [...],
 *    datasets: [{label, data, color | colors, dashed, points, pointColors}],
 *    horizontal, legend, integers, suffix, x: {min, max}, y: {min, max, suffix}}
 *
 * No inline script: pages carry data only. The canvas has role="img" and an
 * aria-label with the figures; a table with the same figures follows it.
 */
(function () {
  "use strict";

  var reduceMotion =
    window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var locale = document.documentElement.lang || undefined;

  function formatter(suffix) {
    var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    return function (value) {
      return number.format(value) + (suffix || "");
    };
  }

  function dataset(spec, d) {
    var set = { label: d.label, data: d.data };
    if (spec.type === "doughnut") {
      set.backgroundColor = d.colors || d.color;
      set.borderColor = "#fff";
      set.borderWidth = 2;
      return set;
    }
    set.backgroundColor = d.colors || d.color;
    set.borderColor = d.colors || d.color;
    if (spec.type === "line") {
      set.backgroundColor = d.color;
      set.borderWidth = d.dashed ? 2 : 3;
      set.tension = 0;
      set.fill = false;
      if (d.dashed) {
        set.borderDash = [6, 4];
        set.pointStyle = "line";
      }
      if (d.points === false) {
        set.pointRadius = 0;
        set.pointHoverRadius = 0;
      } else {
        set.pointRadius = 5;
        if (d.pointColors) {
          set.pointBackgroundColor = d.pointColors;
          set.pointBorderColor = d.pointColors;
        }
      }
    }
    return set;
  }

  function axis(options, extra, suffix, integers) {
    var scale = { beginAtZero: true, ticks: { callback: formatter(suffix) } };
    if (integers) scale.ticks.precision = 0;
    if (extra) {
      if (extra.min !== undefined) scale.min = extra.min;
      if (extra.max !== undefined) scale.max = extra.max;
    }
    return Object.assign(scale, options || {});
  }

  function config(spec) {
    var horizontal = Boolean(spec.horizontal);
    var valueAxis = horizontal ? "x" : "y";
    var valueSuffix = (spec[valueAxis] && spec[valueAxis].suffix) || spec.suffix || "";
    var options = {
      responsive: true,
      maintainAspectRatio: true,
      aspectRatio: spec.aspectRatio || (spec.type === "doughnut" ? 1.6 : 2),
      animation: reduceMotion ? false : { duration: 300 },
      plugins: {
        legend: {
          display: spec.legend !== false,
          position: "bottom",
          // Lines in the legend of a line chart, so a dashed target reads as one.
          labels: { usePointStyle: spec.type === "line" },
        },
        tooltip: {
          callbacks: {
            label: function (item) {
              var value = item.raw;
              var text = value === null ? "—" : formatter(valueSuffix)(value);
              return (item.dataset.label ? item.dataset.label + ": " : "") + text;
            },
          },
        },
      },
    };
    if (spec.type === "doughnut") {
      options.plugins.tooltip.callbacks.label = function (item) {
        return item.label + ": " + formatter("")(item.raw);
      };
    } else {
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = {};
      options.scales[valueAxis] = axis(null, spec[valueAxis], valueSuffix, spec.integers);
      options.scales[horizontal ? "y" : "x"] = { ticks: { autoSkip: false } };
    }
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return dataset(spec, d);
        }),
      },
      options: options,
    };
  }

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof window.Chart === "undefined") return;
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, config(JSON.parse(source.textContent)));
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll();
    });
  } else {
    drawAll();
  }
  // Fragments swapped in by htmx may carry charts too.
  document.addEventListener("htmx:afterSettle", function (event) {
    drawAll(event.target);
  });
})();
