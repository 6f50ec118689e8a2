// The report page's script, inlined by plugins/console/report_html.py: every
// <canvas data-chart="id"> drawn from its spec in #report-charts, with Chart.js (bundled, no CDN).
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip,
} from "chart.js";

import { chartConfig, type ChartSpec, points } from "./charts.js";

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale,
               LineController, LineElement, PointElement, Tooltip);
Chart.defaults.font.family = '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

const specs = JSON.parse(document.getElementById("report-charts")?.textContent ?? "{}") as Record<string, ChartSpec>;
for (const canvas of document.querySelectorAll<HTMLCanvasElement>("canvas[data-chart]")) {
  const spec = specs[canvas.dataset.chart ?? ""];
  if (spec === undefined) continue;
  new Chart(canvas, chartConfig(spec));
  canvas.dataset.points = String(points(spec)); // what was drawn: the browser tests read it
}
