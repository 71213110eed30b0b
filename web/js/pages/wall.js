// 大屏 The wall screen (#/wall?range=24h|7d|30d): the overview for a screen on the wall of a press
// office — full screen, dark, large type, no navigation, refreshed every 15 s and when the live
// stream brings posts or alerts. The figures are the overview's (overview_widgets.js).
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, fmtNum, fmtTime, levelBadge, emptyState, asText } from '../dom.js';
import { makeChart, sentimentTrendOption } from '../charts.js';
import {
  kpiCards, sourcesOption, regionRows, mapOption, loadChinaMap, wordCloudAvailable, wordCloudOption, wordList,
} from '../overview_widgets.js';
import { RANGES } from './overview.js';

const REFRESH_MS = 15000;

export function mount(root, ctx) {
  const range = RANGES[ctx.query.range] ? ctx.query.range : '24h';
  let disposed = false;
  let pending = null;
  const charts = [];
  const dark = { dark: true };

  const clock = h('span.wall-clock', { id: 'wall-clock' });
  const updated = h('span.wall-updated', { id: 'wall-updated' });
  const live = h('span.wall-live', { id: 'wall-live' });
  const fullBtn = h('button.btn.wall-btn', {
    id: 'wall-fullscreen', type: 'button',
    onclick: () => {
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      else document.documentElement.requestFullscreen?.().catch(() => {});
    },
  }, t('wall.fullscreen'));
  const ranges = h('span.wall-ranges', Object.keys(RANGES).map((r) => h(`a.wall-range${r === range ? '.active' : ''}`,
    { href: `#/wall?range=${r}`, dataset: { range: r } }, t(`range.${r}`))));

  const kpis = h('div.wall-kpis', { id: 'wall-kpis' });
  const mapEl = h('div.wall-chart.wall-map', { id: 'wall-map' });
  const cloudEl = h('div.wall-chart', { id: 'wall-words' });
  const cloudText = h('div');
  const pieEl = h('div.wall-chart', { id: 'wall-sources' });
  const trendEl = h('div.wall-chart.wall-trend', { id: 'wall-trend' });
  const events = h('div.wall-list', { id: 'wall-events' });
  const alerts = h('div.wall-list', { id: 'wall-alerts' });
  const err = h('div.wall-error', { role: 'alert' });

  const panel = (id, title, ...body) => h('section.wall-panel', { id }, h('h2', title), ...body);
  root.append(h('div.wall', { id: 'wall' },
    h('header.wall-head',
      h('h1', t('wall.title')),
      h('div.wall-meta', ranges, live, updated, clock, fullBtn,
        h('a.btn.wall-btn', { id: 'wall-exit', href: `#/overview?range=${range}` }, t('wall.exit')))),
    err, kpis,
    h('div.wall-grid',
      h('div.wall-col',
        panel('wall-panel-sources', t('overview.sources'), pieEl),
        panel('wall-panel-events', t('overview.top_events'), events)),
      h('div.wall-col.wall-center',
        panel('wall-panel-map', t('overview.regions'), mapEl),
        panel('wall-panel-trend', t('overview.trend'), trendEl)),
      h('div.wall-col',
        panel('wall-panel-words', t('overview.words'), cloudEl, cloudText),
        panel('wall-panel-alerts', t('overview.open_alerts'), alerts)))));

  const map = makeChart(mapEl, 'dark');
  const pie = makeChart(pieEl, 'dark');
  const trend = makeChart(trendEl, 'dark');
  const cloud = wordCloudAvailable() ? makeChart(cloudEl, 'dark') : null;
  if (!cloud) cloudEl.appendChild(h('div.empty', t('chart.unavailable')));
  for (const c of [map, pie, trend, cloud]) if (c) charts.push(c);
  const mapReady = map ? loadChinaMap() : Promise.resolve(false);

  function tick() {
    clock.textContent = fmtTime(new Date(), true);
    const s = ctx.stream ? ctx.stream.state : 'closed';
    live.className = `wall-live live-${s}`;
    live.textContent = t(`header.live_short_${s === 'open' ? 'open' : 'off'}`);
  }

  async function load() {
    const to = new Date();
    const from = new Date(to.getTime() - RANGES[range]);
    try {
      const d = await api.get('/overview', { from: from.toISOString(), to: to.toISOString() });
      if (disposed) return;
      clear(err);
      render(d);
      updated.textContent = `${t('overview.updated')} ${fmtTime(new Date(), true)}`;
    } catch (e) {
      if (!disposed) err.textContent = e.message || String(e);
    }
  }

  function render(d) {
    clear(kpis).append(...kpiCards(d));
    const rows = regionRows(d);
    mapEl.dataset.provinces = String(rows.length);
    if (map) mapReady.then((ok) => { if (!disposed && ok) map.set({ backgroundColor: 'transparent', ...mapOption(rows, dark) }); });
    if (pie) pie.set({ backgroundColor: 'transparent', ...sourcesOption(d, dark) });
    if (trend) trend.set({ backgroundColor: 'transparent', ...sentimentTrendOption(Array.isArray(d.trend) ? d.trend : []) });
    const words = Array.isArray(d.keywords) ? d.keywords : [];
    cloudEl.dataset.words = String(words.length);
    if (cloud) cloud.set({ backgroundColor: 'transparent', ...wordCloudOption(words, dark) });
    clear(cloudText).appendChild(wordList(words));

    const topEvents = Array.isArray(d.top_events) ? d.top_events : [];
    clear(events).appendChild(topEvents.length ? h('ol.wall-rank', topEvents.slice(0, 6).map((ev) => h('li',
      h('span.wall-rank-title', String(ev.title || `#${ev.id}`)),
      h('span.wall-rank-n', `${fmtNum(ev.posts)} ${t('event.posts_unit')}`))))
      : emptyState(t('overview.no_events')));
    const openAlerts = Array.isArray(d.open_alerts) ? d.open_alerts : [];
    ctx.setOpenAlerts(openAlerts.length);
    clear(alerts).appendChild(openAlerts.length ? h('ul.wall-alerts', openAlerts.slice(0, 6).map((a) => h(`li.level-border-${a.level}`,
      levelBadge(a.level), ' ', h('span', String(a.message || asText(a.rule) || `#${a.id}`)))))
      : emptyState(t('overview.no_alerts')));
  }

  function soon() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; load(); }, 3000);
  }
  const offPost = ctx.stream ? ctx.stream.on('post', soon) : () => {};
  const offAlert = ctx.stream ? ctx.stream.on('alert', soon) : () => {};

  tick();
  load();
  const clockTimer = setInterval(tick, 1000);
  const timer = setInterval(load, REFRESH_MS);
  return () => {
    disposed = true;
    clearInterval(timer);
    clearInterval(clockTimer);
    clearTimeout(pending);
    offPost();
    offAlert();
    charts.forEach((c) => c.dispose());
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  };
}
