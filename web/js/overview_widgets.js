// The overview's figures, shared by 态势 (overview.js) and the wall screen 大屏 (wall.js): key
// figures with their change on the previous equal period (环比, computed by the server:
// GET /api/v1/overview's "previous"), the province map, the word cloud and the source donut.
import { t } from './i18n.js';
import { h, fmtNum } from './dom.js';
import { COLORS } from './charts.js';

// ---- 环比 -------------------------------------------------------------------------------------

// The change of `cur` on `prev` as {text, dir: 'up'|'down'|'flat'|'new'}. `points` compares two
// shares (0..1) in percentage points instead of a relative change.
export function change(cur, prev, { points = false } = {}) {
  const c = Number(cur) || 0;
  const p = Number(prev) || 0;
  if (points) {
    const d = (c - p) * 100;
    if (Math.abs(d) < 0.05) return { text: t('wall.flat'), dir: 'flat' };
    return { text: t('wall.points', { n: `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}` }), dir: d > 0 ? 'up' : 'down' };
  }
  if (p === 0) return c === 0 ? { text: t('wall.flat'), dir: 'flat' } : { text: t('wall.new'), dir: 'new' };
  const r = ((c - p) / p) * 100;
  if (Math.abs(r) < 0.05) return { text: t('wall.flat'), dir: 'flat' };
  return { text: `${r > 0 ? '+' : '−'}${Math.abs(r) >= 100 ? Math.round(Math.abs(r)) : Math.abs(r).toFixed(1)}%`, dir: r > 0 ? 'up' : 'down' };
}

// "环比 +12.5%" as an element; `badIsUp` colours a rise red (negative share, alerts).
export function changeEl(ch, badIsUp = false) {
  const tone = ch.dir === 'flat' ? 'flat' : (ch.dir === 'down') === badIsUp ? 'good' : 'bad';
  const arrow = ch.dir === 'up' || ch.dir === 'new' ? '▲' : ch.dir === 'down' ? '▼' : '＝';
  return h(`span.kpi-change.change-${tone}`, { dataset: { dir: ch.dir } },
    h('span.change-label', t('wall.vs_previous')), ' ', h('span.change-arrow', { 'aria-hidden': 'true' }, arrow), ' ', ch.text);
}

const share = (p) => (p && p.total ? (Number(p.sentiment?.negative) || 0) / p.total : 0);

// The key figures of a period with their change: [{id, label, value, change, badIsUp, warn}].
export function keyFigures(d) {
  const prev = d.previous || {};
  const neg = share(d);
  return [
    { id: 'kpi-volume', label: t('overview.kpi_volume'), value: fmtNum(d.total || 0), change: change(d.total, prev.total) },
    { id: 'kpi-negative', label: t('overview.kpi_negative'), value: d.total ? `${(neg * 100).toFixed(1)}%` : '–',
      change: change(neg, share(prev), { points: true }), badIsUp: true, warn: neg > 0.4 },
    { id: 'kpi-alerts', label: t('overview.kpi_alerts_raised'), value: fmtNum(d.alerts_raised || 0),
      change: change(d.alerts_raised, prev.alerts_raised), badIsUp: true, warn: (d.alerts_raised || 0) > 0 },
    { id: 'kpi-events', label: t('overview.kpi_events_active'), value: fmtNum(d.events_active || 0),
      change: change(d.events_active, prev.events_active) },
  ];
}

export function kpiCards(d) {
  return keyFigures(d).map((k) => h(`div.kpi${k.warn ? '.warn' : ''}`, { id: k.id },
    h('div.kpi-value', k.value), h('div.kpi-label', k.label), changeEl(k.change, k.badIsUp)));
}

// ---- sources ----------------------------------------------------------------------------------

export function sourceName(s) {
  return t(`source.${s}`, null, String(s));
}

// The donut of sources; labels sit at the chart's edges and wrap, so none is cut off however
// narrow the card, and the tooltip carries the 环比.
export function sourcesOption(d, { dark = false } = {}) {
  const prev = new Map((d.previous?.sources || []).map((s) => [s.source, Number(s.count) || 0]));
  const items = (d.sources || []).map((s) => ({
    name: sourceName(s.source),
    value: Number(s.count) || 0,
    change: change(s.count, prev.get(s.source) || 0).text,
  }));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p) => `${p.name}：${fmtNum(p.value)}（${p.percent}%）<br>${t('wall.vs_previous')} ${p.data.change}`,
    },
    color: COLORS.palette,
    series: [{
      type: 'pie',
      radius: ['34%', '58%'],
      center: ['50%', '50%'],
      avoidLabelOverlap: true,
      minShowLabelAngle: 3,
      itemStyle: { borderColor: dark ? '#0b1a2e' : '#fff', borderWidth: 2 },
      label: { formatter: '{b}\n{d}%', alignTo: 'edge', edgeDistance: 6, width: 90, overflow: 'break', lineHeight: 16 },
      labelLine: { length: 8, length2: 0, maxSurfaceAngle: 80 },
      labelLayout: { hideOverlap: true, moveOverlap: 'shiftY' },
      data: items,
    }],
  };
}

// ---- the province map -------------------------------------------------------------------------

// Province names as the map (Apache ECharts' China map) spells them: short forms, 内蒙古 not
// 内蒙古自治区, 广西 not 广西壮族自治区.
export function mapProvince(name) {
  return String(name || '').replace(/(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$/, '');
}

let chinaMap = null; // one fetch per page load
export function loadChinaMap() {
  if (!chinaMap) {
    chinaMap = fetch('/vendor/china.json')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((geo) => { window.echarts.registerMap('china', geo); return true; })
      .catch(() => { chinaMap = null; return false; });
  }
  return chinaMap;
}

// Regions with their previous counts: [{name, value, prev, change}], most first.
export function regionRows(d) {
  const prev = new Map();
  for (const r of d.previous?.regions || []) prev.set(mapProvince(r.province), (prev.get(mapProvince(r.province)) || 0) + (Number(r.count) || 0));
  const cur = new Map();
  for (const r of d.regions || []) cur.set(mapProvince(r.province), (cur.get(mapProvince(r.province)) || 0) + (Number(r.count) || 0));
  return [...cur.entries()].filter(([n]) => n).sort((a, b) => b[1] - a[1])
    .map(([name, value]) => ({ name, value, prev: prev.get(name) || 0, change: change(value, prev.get(name) || 0) }));
}

export function mapOption(rows, { dark = false } = {}) {
  const max = rows.reduce((m, r) => Math.max(m, r.value), 0) || 1;
  return {
    aria: { enabled: true },
    tooltip: {
      trigger: 'item',
      formatter: (p) => (p.data ? `${p.name}：${fmtNum(p.data.value)}<br>${t('wall.vs_previous')} ${p.data.change}` : `${p.name}：0`),
    },
    visualMap: {
      min: 0, max, left: 8, bottom: 8, calculable: true, itemHeight: 90,
      text: [t('wall.more'), t('wall.less')],
      inRange: { color: dark ? ['#12304f', '#2a6fb0', '#f0a040', '#e0443a'] : ['#e7eef8', '#8fb4e0', '#f0a040', '#d9534f'] },
      textStyle: { color: dark ? '#cfe0f5' : '#445' },
    },
    series: [{
      type: 'map',
      map: 'china',
      roam: false,
      layoutCenter: ['50%', '54%'],
      layoutSize: '100%',
      label: { show: false },
      emphasis: { label: { show: true, color: dark ? '#fff' : '#223' }, itemStyle: { areaColor: '#f6d365' } },
      itemStyle: { areaColor: dark ? '#0e2742' : '#f4f6f9', borderColor: dark ? '#3a6ea5' : '#b8c4d2' },
      data: rows.map((r) => ({ name: r.name, value: r.value, change: r.change.text })),
    }],
  };
}

// ---- the word cloud ---------------------------------------------------------------------------

export function wordCloudAvailable() {
  // echarts-wordcloud (a UMD script after echarts.min.js) registers the series type on the global
  // echarts and leaves window['echarts-wordcloud'] behind when it loaded.
  return typeof window.echarts !== 'undefined' && typeof window['echarts-wordcloud'] !== 'undefined';
}

export function wordCloudOption(words, { dark = false } = {}) {
  const palette = dark ? ['#7cc4ff', '#ffd166', '#ff8c69', '#9be7a6', '#c9a0ff', '#ffffff'] : COLORS.palette;
  return {
    tooltip: { formatter: (p) => `${p.name}` },
    series: [{
      type: 'wordCloud',
      shape: 'circle',
      left: 'center', top: 'center', width: '96%', height: '92%',
      sizeRange: dark ? [16, 60] : [13, 44],
      rotationRange: [0, 0],
      gridSize: 6,
      drawOutOfBound: false,
      shrinkToFit: true,
      layoutAnimation: false,
      textStyle: { fontWeight: 600, color: (p) => palette[p.dataIndex % palette.length] },
      data: words.map((w) => ({ name: String(w.word), value: Number(w.weight) || 0 })),
    }],
  };
}

// The words as text too (screen readers; the canvas alone says nothing): a visually hidden list.
export function wordList(words) {
  return h('ul.sr-only.word-list', words.map((w) => h('li', String(w.word))));
}
