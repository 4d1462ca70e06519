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
 *
 * Numbers and dates are written in the page's language (<html lang>): "12 345,5"
 * and "30 juin 2017" on a French page, "12,345.5" and "30 Jun 2017" on an English
 * one (British order, as the portal's English pages write dates). Labels that are
 * ISO dates ("2017-06-30") are shown that way on the axis and in the tooltips.
 */
(function () {
  "use strict";

  var reduceMotion =
    window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var locale = document.documentElement.lang || undefined;
  var dateLocale = locale === "en" ? "en-GB" : locale;
  var isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
  var dates = new Intl.DateTimeFormat(dateLocale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

  function formatter(suffix) {
    var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    // A unit after a space ("50 %") stays on the number's line.
    var unit = (suffix || "").replace(/^ /, "\u00a0");
    return function (value) {
      return number.format(value) + unit;
    };
  }

  // "2017-06-30" as the page's language writes a date; any other label as it is.
  function label(text) {
    var match = typeof text === "string" && isoDate.exec(text);
    if (!match) return text;
    return dates.format(new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])));
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
            title: function (items) {
              return items.length ? label(items[0].label) : "";
            },
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
      delete options.plugins.tooltip.callbacks.title;
      options.plugins.tooltip.callbacks.label = function (item) {
        return item.label + ": " + formatter("")(item.raw);
      };
    } else {
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = {};
      options.scales[valueAxis] = axis(null, spec[valueAxis], valueSuffix, spec.integers);
      options.scales[horizontal ? "y" : "x"] = {
        ticks: {
          autoSkip: false,
          callback: function (value) {
            return label(this.getLabelForValue(value));
          },
        },
      };
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
