// The dashboard's charts (Apache ECharts, served from npm by the app: no CDN). The page's
// <script data-url="…"> names the dashboard's JSON (the API, with the page's period); every
// element <div class="chart" data-chart="NAME"> becomes one chart, and a click on a bar or a
// point opens the list behind it (each row of the JSON carries its `url`).
//
// No inline scripts or styles (Content-Security-Policy): tooltips are drawn on the canvas
// (renderMode "richText"), the texts come from <template id="dashboard-text">.
(() => {
  "use strict";

  const script = document.currentScript;
  const TIER_COLOURS = { 1: "#8b1a1a", 2: "#e8740c", 3: "#1f5fa8" };
  const COLOURS = {
    reported: "#1f5fa8",
    closed: "#15803d",
    onTime: "#e8740c",
    overdue: "#b91c1c",
  };

  const texts = (() => {
    const found = {};
    const template = document.getElementById("dashboard-text");
    if (template && template.content) {
      for (const node of template.content.querySelectorAll("[data-text]")) {
        found[node.dataset.text] = node.textContent.trim();
      }
    }
    return found;
  })();

  const text = (key) => texts[key] || key;

  function message(element, key, isError = false) {
    const paragraph = document.createElement("p");
    paragraph.className = isError ? "chart-empty is-error" : "chart-empty";
    paragraph.textContent = text(key);
    element.replaceChildren(paragraph);
    element.dataset.chartState = isError ? "error" : "empty";
  }

  const isLocalUrl = (url) => typeof url === "string" && url.startsWith("/") && !url.startsWith("//");

  function open(url) {
    if (isLocalUrl(url)) {
      window.location.assign(url);
    }
  }

  // ---- Chart options ------------------------------------------------------------------------------

  const base = {
    animation: false,
    tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
  };

  // Horizontal bars, one row a group (a township, a category, an agency); `series` are
  // [{name, colour, value(row), url(row)}]. The first row is drawn at the top.
  function horizontalBars(rows, series, { stacked = false } = {}) {
    const ordered = [...rows].reverse();
    return {
      ...base,
      legend: series.length > 1 ? base.legend : { show: false },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: ordered.map((row) => row.name) },
      series: series.map((one) => ({
        type: "bar",
        name: one.name,
        stack: stacked ? "total" : undefined,
        barMaxWidth: 28,
        itemStyle: { color: one.colour },
        data: ordered.map((row) => ({ value: one.value(row), url: one.url(row) })),
      })),
    };
  }

  function sitesByTownship(data) {
    const townships = data.sites ? data.sites.by_township : [];
    if (!townships.some((row) => row.total > 0)) {
      return "noSites";
    }
    const tiers = townships[0].by_tier;
    return horizontalBars(
      townships,
      tiers.map((tier, index) => ({
        name: tier.label,
        colour: TIER_COLOURS[tier.tier],
        value: (row) => row.by_tier[index].total,
        url: (row) => row.by_tier[index].url,
      })),
      { stacked: true },
    );
  }

  // One bar a group with a count above zero (`key`), linking to `urlKey`; else the empty text.
  function countBars(rows, { key, urlKey, label, colour, empty }) {
    const counted = rows.filter((row) => row[key] > 0);
    if (!counted.length) {
      return empty;
    }
    return horizontalBars(counted, [
      { name: text(label), colour, value: (row) => row[key], url: (row) => row[urlKey] },
    ]);
  }

  const reportedBars = (rows) =>
    countBars(rows, {
      key: "reported",
      urlKey: "url",
      label: "reported",
      colour: COLOURS.reported,
      empty: "noCases",
    });

  function trend(data) {
    const months = data.trend;
    if (!months.some((month) => month.reported || month.closed)) {
      return "noCases";
    }
    const bars = (name, colour, key, urlKey) => ({
      type: "bar",
      name,
      barMaxWidth: 24,
      itemStyle: { color: colour },
      data: months.map((month) => ({ value: month[key], url: month[urlKey] })),
    });
    return {
      ...base,
      tooltip: { ...base.tooltip, axisPointer: { type: "line" } },
      xAxis: { type: "category", data: months.map((month) => month.label) },
      yAxis: [
        { type: "value", name: text("cases"), minInterval: 1 },
        { type: "value", name: "%", min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        bars(text("reported"), COLOURS.reported, "reported", "reported_url"),
        bars(text("closed"), COLOURS.closed, "closed", "closed_url"),
        {
          type: "line",
          name: text("onTime"),
          yAxisIndex: 1,
          connectNulls: false,
          itemStyle: { color: COLOURS.onTime },
          data: months.map((month) => ({ value: month.on_time_percent, url: month.closed_url })),
        },
      ],
    };
  }

  // ---- The market dashboard (trade: /market/dashboard/) -------------------------------------------

  const MARKET_COLOURS = { points: "#1f5fa8", stations: "#e8740c", board: "#15803d" };

  function tonnageBars(rows, colour) {
    if (!rows || !rows.length) {
      return "noTransfers";
    }
    return horizontalBars(rows, [
      { name: text("tonnes"), colour, value: (row) => row.tonnes, url: (row) => row.url },
    ]);
  }

  function tonnageByMonth(data) {
    const months = data.by_month || [];
    if (!months.length) {
      return "noTransfers";
    }
    const bars = (key) => ({
      type: "bar",
      name: data.tiers[key],
      stack: "tonnes",
      barMaxWidth: 24,
      itemStyle: { color: MARKET_COLOURS[key] },
      data: months.map((month) => ({ value: month[key], url: month.url })),
    });
    return {
      ...base,
      xAxis: { type: "category", data: months.map((month) => month.label) },
      yAxis: { type: "value", name: text("tonnes") },
      series: [bars("points"), bars("stations")],
    };
  }

  function priceTrend(data) {
    const trend = data.price_trend || { months: [] };
    if (!trend.months.length) {
      return "noTransfers";
    }
    const line = (key, name, colour) => ({
      type: "line",
      name,
      connectNulls: false,
      itemStyle: { color: colour },
      data: trend.months.map((month) => ({ value: month[key], url: month.url })),
    });
    return {
      ...base,
      tooltip: { ...base.tooltip, axisPointer: { type: "line" } },
      xAxis: { type: "category", data: trend.months.map((month) => month.label) },
      yAxis: { type: "value", name: trend.material, scale: true },
      series: [
        line("price", text("price"), MARKET_COLOURS.points),
        line("board", text("board"), MARKET_COLOURS.board),
      ],
    };
  }

  const CHARTS = {
    tonnageByMaterial: (data) => tonnageBars(data.by_material, MARKET_COLOURS.points),
    tonnageByTier: (data) => tonnageBars(data.by_tier, MARKET_COLOURS.stations),
    tonnageByTownship: (data) => tonnageBars(data.by_township, MARKET_COLOURS.points),
    tonnageByMonth,
    priceTrend,
    sitesByTownship,
    casesByCategory: (data) => reportedBars(data.cases_by_category),
    casesByAgency: (data) => reportedBars(data.cases_by_lead_agency),
    trend,
    overdueByAgency: (data) =>
      countBars(data.cases_by_lead_agency, {
        key: "overdue",
        urlKey: "overdue_url",
        label: "overdue",
        colour: COLOURS.overdue,
        empty: "noOverdue",
      }),
  };

  // ---- Drawing -------------------------------------------------------------------------------------

  const drawn = [];

  function draw(element, data) {
    const build = CHARTS[element.dataset.chart];
    if (!build) {
      return;
    }
    const option = build(data);
    if (typeof option === "string") {
      message(element, option);
      return;
    }
    element.replaceChildren();
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    chart.on("click", (event) => open(event.data && event.data.url));
    drawn.push(chart);
    element.dataset.chartState = "ready";
  }

  async function initialise() {
    const elements = [...document.querySelectorAll(".chart[data-chart]")];
    if (!elements.length) {
      return;
    }
    const url = script && script.dataset.url;
    if (typeof window.echarts === "undefined" || !isLocalUrl(url)) {
      elements.forEach((element) => message(element, "loadFailed", true));
      return;
    }
    elements.forEach((element) => message(element, "loading"));
    let data;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`${response.status} ${url}`);
      }
      data = await response.json();
    } catch (error) {
      elements.forEach((element) => message(element, "loadFailed", true));
      return;
    }
    elements.forEach((element) => draw(element, data));
    document.body.dataset.dashboardState = "ready";
    let timer = null;
    window.addEventListener("resize", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => drawn.forEach((chart) => chart.resize()), 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initialise);
  } else {
    initialise();
  }
})();
