// Cockpit charts (ECharts, served by the app). Data comes from json_script blocks in the page.
(function () {
  if (typeof echarts === "undefined") return;
  var read = function (id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  var red = "#b3261e", grey = "#9ca3af";
  var charts = [];
  var make = function (id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  };
  var trend = read("data-trend");
  if (trend) {
    make("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { data: ["本期个数", "上年同期个数", "本期亿元以上项目签约额(亿元)", "上年同期亿元以上项目签约额(亿元)"], bottom: 0 },
      grid: { left: 40, right: 50, top: 20, bottom: 50 },
      xAxis: { type: "category", data: trend.months },
      yAxis: [{ type: "value", name: "个" }, { type: "value", name: "亿元" }],
      series: [
        { name: "本期个数", type: "bar", data: trend["signed_projects_100m:now"], itemStyle: { color: red } },
        { name: "上年同期个数", type: "bar", data: trend["signed_projects_100m:then"], itemStyle: { color: grey } },
        { name: "本期亿元以上项目签约额(亿元)", type: "line", yAxisIndex: 1, itemStyle: { color: "#7f1d1d" },
          data: trend["signed_amount_100m_yi:now"] },
        { name: "上年同期亿元以上项目签约额(亿元)", type: "line", yAxisIndex: 1, lineStyle: { type: "dashed" }, itemStyle: { color: "#6b7280" },
          data: trend["signed_amount_100m_yi:then"] }
      ]
    });
  }
  var industries = read("data-industries");
  if (industries) {
    make("chart-industry", {
      tooltip: { trigger: "item", formatter: "{b}: {c}亿元 ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "68%"], data: industries, label: { formatter: "{b}\n{d}%" } }]
    });
  }
  var bands = read("data-bands");
  if (bands) {
    var order = ["20亿元以上", "10–20亿元", "5–10亿元", "1–5亿元", "1亿元以下"];
    bands.sort(function (a, b) { return order.indexOf(a.name) - order.indexOf(b.name); });
    make("chart-bands", {
      tooltip: {}, grid: { left: 80, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" }, yAxis: { type: "category", data: bands.map(function (b) { return b.name; }), inverse: true },
      series: [{ type: "bar", data: bands.map(function (b) { return b.value; }), itemStyle: { color: red }, label: { show: true, position: "right" } }]
    });
  }
  var funnel = read("data-funnel");
  if (funnel) {
    make("chart-funnel", {
      tooltip: { trigger: "item", formatter: "{b}: {c}" },
      series: [{ type: "funnel", sort: "none", left: "4%", width: "62%", data: funnel, label: { formatter: "{b} {c}" },
                 itemStyle: { borderColor: "#fff" }, color: ["#fca5a5", "#f87171", "#dc2626", "#991b1b"] }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
