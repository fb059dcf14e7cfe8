// Draws the dyad charts from the data-chart attribute of each .chart element (no inline script: CSP).
(function () {
  "use strict";
  var COLORS = ["#c0392b", "#2c7fb8", "#e67e22", "#7f8c8d", "#27ae60", "#8e44ad"];
  function draw(el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-chart") || "{}"); } catch (e) { return; }
    if (!spec.x || !spec.traces || !spec.traces.length || typeof Plotly === "undefined") { return; }
    var kind = el.getAttribute("data-kind") || "line";
    var data = spec.traces.map(function (t, i) {
      var tr = { x: spec.x, y: t.y, name: String(t.name), marker: { color: COLORS[i % COLORS.length] } };
      if (kind === "bar") { tr.type = "bar"; } else { tr.type = "scatter"; tr.mode = "lines+markers"; tr.line = { color: COLORS[i % COLORS.length], width: 2 }; }
      return tr;
    });
    if (spec.jumps && spec.jumps.length) {
      var jy = spec.jumps.map(function (d) { var i = spec.x.indexOf(d); return i >= 0 ? spec.traces[0].y[i] : null; });
      data.push({ x: spec.jumps, y: jy, name: "jump", type: "scatter", mode: "markers",
                  marker: { symbol: "diamond", size: 12, color: "#e4572e", line: { color: "#7a1f0b", width: 1 } } });
    }
    var layout = {
      title: { text: el.getAttribute("data-chart-title") || "", font: { size: 14 } },
      barmode: "group",
      margin: { l: 44, r: 12, t: 36, b: 36 },
      height: 300,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 12, color: "#2b2f36" },
      legend: { orientation: "h", y: -0.18 },
      showlegend: data.length > 1,
      xaxis: { type: "date", gridcolor: "#eceef2" },
      yaxis: { gridcolor: "#eceef2", rangemode: "tozero" }
    };
    Plotly.newPlot(el, data, layout, { displaylogo: false, displayModeBar: false, responsive: true });
    el.setAttribute("data-drawn", "1");
  }
  function init() {
    var els = document.querySelectorAll(".chart[data-chart]");
    for (var i = 0; i < els.length; i++) { draw(els[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
