// ECharts, only the parts drawn here: bars on a grid, with tooltips, on a canvas.
import { BarChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { init, use, type EChartsType } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const charts = new Set<EChartsType>();
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

export interface Bar {
  label: string;
  count: number;
}

/** A bar chart of counts; horizontal when the labels are many. */
export function bars(el: HTMLElement, data: Bar[], color = "#c0392b"): EChartsType {
  for (const c of charts) if (!c.getDom().isConnected) (c.dispose(), charts.delete(c));
  const chart = init(el, undefined, { renderer: "canvas" });
  const horizontal = data.length > 6;
  const labels = data.map((d) => d.label);
  const category = { type: "category" as const, data: labels, axisLabel: { interval: 0, fontSize: 12 }, inverse: horizontal };
  const value = { type: "value" as const, minInterval: 1 };
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [{ type: "bar", data: data.map((d) => d.count), itemStyle: { color }, label: { show: true, position: horizontal ? "right" : "top" } }],
  });
  charts.add(chart);
  return chart;
}
