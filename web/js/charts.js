// ECharts (served by yuqing at /vendor/echarts.min.js from the npm package) behind a small
// wrapper: charts follow their container's size and are disposed with the page.
import { t } from './i18n.js';
import { h } from './dom.js';

export const COLORS = {
  negative: '#d9534f',
  neutral: '#9aa5b1',
  positive: '#3c9d5d',
  palette: ['#1f4e8c', '#e07b39', '#3c9d5d', '#8e5ea2', '#d9534f', '#2a9fd6', '#c9a227', '#6c757d', '#17a2b8', '#b05c8a'],
};

export function chartsAvailable() {
  return typeof window.echarts !== 'undefined';
}

// Makes a chart in `el` (theme: null, or 'dark' on the wall screen); returns {chart, dispose} or
// null (with a message in `el`) when ECharts did not load.
export function makeChart(el, theme = null) {
  if (!chartsAvailable()) {
    el.appendChild(h('div.empty', t('chart.unavailable')));
    return null;
  }
  const chart = window.echarts.init(el, theme, { renderer: 'canvas' });
  const still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // A chart is drawn only while its box has a size: a map laid out in a 0×0 box has no inverse
  // transform and ECharts throws. An option set meanwhile waits for the box to get one.
  const sized = () => el.clientWidth > 0 && el.clientHeight > 0;
  let waiting = null;
  let disposed = false;
  const apply = (option, notMerge) => chart.setOption(still ? { ...option, animation: false } : option, notMerge);
  const ro = new ResizeObserver(() => {
    if (disposed || !sized()) return;
    if (waiting) {
      const [option, notMerge] = waiting;
      waiting = null;
      chart.resize();
      apply(option, notMerge);
    } else {
      chart.resize();
    }
  });
  ro.observe(el);
  return {
    chart,
    set(option, notMerge = true) {
      if (disposed) return;
      if (sized()) apply(option, notMerge);
      else waiting = [option, notMerge];
    },
    dispose() { disposed = true; ro.disconnect(); chart.dispose(); },
  };
}

export function baseGrid() {
  return { left: 44, right: 16, top: 36, bottom: 28, containLabel: true };
}

// Stacked area of volume by sentiment. rows: [{t, negative, neutral, positive}]
export function sentimentTrendOption(rows) {
  const x = rows.map((r) => r.t ?? r.time ?? r.bucket);
  const series = ['negative', 'neutral', 'positive'].map((k) => ({
    name: t(`sentiment.${k}`),
    type: 'line',
    stack: 'total',
    smooth: 0.2,
    symbol: rows.length > 48 ? 'none' : 'circle',
    symbolSize: 4,
    areaStyle: { opacity: 0.55 },
    lineStyle: { width: 1 },
    color: COLORS[k],
    emphasis: { focus: 'series' },
    data: rows.map((r, i) => [x[i], Number(r[k] ?? 0)]),
  }));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: baseGrid(),
    xAxis: { type: 'time', boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
}

export function pieOption(items, name) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { type: 'scroll', bottom: 0 },
    color: COLORS.palette,
    series: [{
      name,
      type: 'pie',
      radius: ['38%', '68%'],
      center: ['50%', '45%'],
      itemStyle: { borderColor: '#fff', borderWidth: 2 },
      label: { formatter: '{b}\n{d}%' },
      data: items,
    }],
  };
}
