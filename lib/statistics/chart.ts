import 'server-only';
import * as echarts from 'echarts';

// Charts for the 统计 page, drawn on the server by ECharts' SSR SVG renderer: the page receives
// an SVG string and no charting JavaScript. The numbers are in a table beside each chart, so the
// SVG is decoration for screen readers (aria-hidden where it is placed).

export interface BarSeries {
  name: string;
  data: number[];
  color: string;
}

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** Grouped bars, categories down the side (long 单位 names stay readable on a phone). */
export function barChartSvg({ categories, series, width = 480 }: { categories: string[]; series: BarSeries[]; width?: number }): string {
  const height = Math.max(160, 60 + categories.length * (14 + series.length * 12));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: FONT },
    legend: { top: 0, textStyle: { fontSize: 13 } },
    grid: { left: 8, right: 40, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 13 } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories.map((c) => (c.length > 10 ? `${c.slice(0, 10)}…` : c)),
      axisLabel: { fontSize: 13 },
    },
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      data: s.data,
      itemStyle: { color: s.color },
      label: { show: true, position: 'right', fontSize: 12 },
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** A line over time (submissions per week). */
export function lineChartSvg({ categories, series, width = 480, height = 240 }: { categories: string[]; series: BarSeries[]; width?: number; height?: number }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: FONT },
    legend: { top: 0, textStyle: { fontSize: 13 } },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ name: s.name, type: 'line', data: s.data, itemStyle: { color: s.color }, lineStyle: { color: s.color }, label: { show: true, fontSize: 11 } })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
