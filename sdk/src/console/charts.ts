// The report's charts: a chart spec (decided by the server's renderer,
// plugins/console/report_html.py) as a Chart.js configuration. Pure, so Node's tests run it.
import type { ChartConfiguration } from "chart.js";

/** One series of a chart: counts or yuan, drawn as bars or a line; null where a value is missing. */
export interface Series {
  name: string;
  values: (number | null)[];
  axis: "count" | "money";
  style: "bar" | "line";
}

/** A chart as the report page carries it (`#report-charts`, by chart id). */
export interface ChartSpec {
  labels: string[];
  series: Series[];
  horizontal?: boolean;
  doughnut?: boolean;
}

export const PALETTE = ["#3e7bfa", "#f29a4a", "#2bb673", "#e8432e", "#8e6cef", "#14b8c4", "#f5c542", "#9aa5b1"];

/** ¥1,234.50 */
export const yuanTick = (value: string | number): string =>
  `¥${Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;

/** How many values a spec draws (what a test checks was drawn). */
export const points = (spec: ChartSpec): number =>
  spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);

/** The Chart.js configuration of `spec`: money on its own axis (right) beside counts, never animated
 * (a report is read, and printed). */
export function chartConfig(spec: ChartSpec): ChartConfiguration {
  const base = { responsive: true, maintainAspectRatio: false, animation: false as const };
  if (spec.doughnut) {
    const [series] = spec.series;
    return { type: "doughnut", data: { labels: spec.labels, datasets: [{ label: series.name, data: series.values,
      backgroundColor: PALETTE }] }, options: { ...base, plugins: { legend: { position: "right" },
      tooltip: { callbacks: { label: (item) => `${item.label}: ${series.axis === "money"
        ? yuanTick(item.parsed) : item.parsed}` } } } } };
  }
  const counts = spec.series.some((s) => s.axis === "count");
  const moneyAxis = counts ? "money" : "y";
  const datasets = spec.series.map((s, i) => ({
    type: s.style, label: s.name, data: s.values, yAxisID: s.axis === "money" ? moneyAxis : "y",
    backgroundColor: s.style === "bar" ? PALETTE[i % PALETTE.length] : "transparent",
    borderColor: PALETTE[i % PALETTE.length], borderWidth: s.style === "line" ? 2 : 0, tension: 0.2,
    order: s.style === "line" ? 0 : 1,
  }));
  const valueAxis = spec.horizontal ? "x" : "y";
  const scales: Record<string, object> = { [valueAxis]: { beginAtZero: true,
    ticks: counts ? { precision: 0 } : { callback: yuanTick } } };
  if (counts && spec.series.some((s) => s.axis === "money")) {
    scales.money = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
                     ticks: { callback: yuanTick } };
  }
  return { type: "bar", data: { labels: spec.labels, datasets } as ChartConfiguration["data"],
           options: { ...base, indexAxis: spec.horizontal ? "y" : "x", scales,
                      plugins: { legend: { display: spec.series.length > 1 } } } };
}
