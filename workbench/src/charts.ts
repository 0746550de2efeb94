// ECharts, only the parts drawn here: bars, lines and a heat map on a grid, with
// tooltips, a legend and the heat map's colour scale, on a canvas.
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { init, use, type EChartsType } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, CanvasRenderer]);

const charts = new Set<EChartsType>();
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

export interface Bar {
  label: string;
  count: number;
}

function fresh(el: HTMLElement): EChartsType {
  for (const c of charts) if (!c.getDom().isConnected) (c.dispose(), charts.delete(c));
  const chart = init(el, undefined, { renderer: "canvas" });
  charts.add(chart);
  return chart;
}

const font = () => ({ fontFamily: getComputedStyle(document.body).fontFamily });
const narrow = () => window.innerWidth < 600;

/** A bar chart of counts; horizontal when the labels are many. */
export function bars(el: HTMLElement, data: Bar[], color = "#c0392b"): EChartsType {
  const chart = fresh(el);
  const horizontal = data.length > 6;
  const labels = data.map((d) => d.label);
  const category = { type: "category" as const, data: labels, axisLabel: { interval: 0, fontSize: 12 }, inverse: horizontal };
  const value = { type: "value" as const, minInterval: 1 };
  chart.setOption({
    animation: false,
    textStyle: font(),
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [{ type: "bar", data: data.map((d) => d.count), itemStyle: { color }, label: { show: true, position: horizontal ? "right" : "top" } }],
  });
  return chart;
}

export interface Series { name: string; values: number[]; color: string }

/** Per month: stacked bars (the demands by status) and lines (the projects formed). */
export function trend(el: HTMLElement, months: string[], stacked: Series[], lines: Series[]): EChartsType {
  const chart = fresh(el);
  chart.setOption({
    animation: false,
    textStyle: font(),
    legend: { top: 0, type: "scroll", textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months, axisLabel: { fontSize: 11, hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      ...stacked.map((s) => ({ type: "bar" as const, name: s.name, stack: "demands", data: s.values, itemStyle: { color: s.color } })),
      ...lines.map((s) => ({ type: "line" as const, name: s.name, data: s.values, symbolSize: 4, itemStyle: { color: s.color }, lineStyle: { width: 2 } })),
    ],
  });
  return chart;
}

/** A heat map: rows (y) × columns (x), a count per cell; empty cells left blank. */
export function heatmap(el: HTMLElement, columns: string[], rows: string[], cells: [x: number, y: number, count: number][]): EChartsType {
  const chart = fresh(el);
  const max = Math.max(1, ...cells.map((c) => c[2]));
  const small = narrow();
  chart.setOption({
    animation: false,
    textStyle: font(),
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    tooltip: { position: "top", formatter: (p: { value: [number, number, number] }) => `${rows[p.value[1]]} · ${columns[p.value[0]]}：${p.value[2]} 条` },
    xAxis: { type: "category", data: columns, splitArea: { show: true }, axisLabel: { interval: 0, rotate: small ? 90 : 45, fontSize: small ? 10 : 11 } },
    yAxis: { type: "category", data: rows, inverse: true, splitArea: { show: true }, axisLabel: { fontSize: small ? 10 : 12 } },
    visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: small ? 100 : 160, itemWidth: 10,
      text: [`多 ${max}`, "少 0"],
      inRange: { color: ["#fef3c7", "#f59e0b", "#b91c1c"] }, textStyle: { fontSize: 11 } },
    series: [{ type: "heatmap", data: cells, label: { show: true, fontSize: small ? 9 : 11 }, emphasis: { itemStyle: { borderColor: "#111", borderWidth: 1 } } }],
  });
  return chart;
}
