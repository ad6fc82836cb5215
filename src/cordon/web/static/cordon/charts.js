// ECharts on server-rendered pages. An element with data-chart="KIND" and data-source="ID of a
// json_script" gets a chart. KIND "option" takes a complete ECharts option built on the server
// (each app's charts.py); the others are built here from plain data.
(function () {
  const builders = {
    option: (data) => data,
    "city-map": (data, el) => {
      const features = data.districts.filter((d) => d.boundary).map((d) => ({
        type: "Feature", properties: { name: d.name }, geometry: d.boundary }));
      echarts.registerMap("city", { type: "FeatureCollection", features });
      const max = Math.max(1, ...data.districts.map((d) => d.population));
      return {
        tooltip: { trigger: "item", formatter: (p) => `${p.name}<br>${(p.value || 0).toLocaleString()}` },
        visualMap: { min: 0, max, left: "left", bottom: 10, calculable: true, inRange: { color: ["#fde2e1", "#b42318"] } },
        series: [{ type: "map", map: "city", roam: true, label: { show: true, fontSize: 11 },
                   data: data.districts.map((d) => ({ name: d.name, value: d.population })) }],
      };
    },
    "district-bars": (data) => ({
      tooltip: { trigger: "axis" }, grid: { left: 80, right: 20, top: 10, bottom: 30 },
      xAxis: { type: "value" }, yAxis: { type: "category", data: data.districts.map((d) => d.name).reverse() },
      series: [{ type: "bar", data: data.districts.map((d) => d.population).reverse(), itemStyle: { color: "#c0392b" } }],
    }),
  };
  window.cordonCharts = builders;
  function render(root) {
    root.querySelectorAll("[data-chart]").forEach((el) => {
      if (el.dataset.rendered) return;
      const src = document.getElementById(el.dataset.source);
      if (!src || !window.echarts) return;
      const data = JSON.parse(src.textContent);
      const build = builders[el.dataset.chart];
      if (!build) return;
      const chart = echarts.init(el);
      chart.setOption(build(data, el));
      el.dataset.rendered = "1";
      window.addEventListener("resize", () => chart.resize());
    });
  }
  window.cordonRenderCharts = render;
  document.addEventListener("DOMContentLoaded", () => render(document));
  document.addEventListener("htmx:afterSettle", (ev) => render(ev.target));
})();
