// 态势 Overview: key figures with their 环比, trend by sentiment, source mix, the province map, the
// word cloud, top events, open alerts; a link to the wall screen (大屏, #/wall).
// Refreshes every 15 s and, throttled, whenever the live stream brings a post or an alert.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, fmtNum, fmtTime, levelBadge, emptyState, errorBox, timeEl, asText } from '../dom.js';
import { makeChart, sentimentTrendOption } from '../charts.js';
import {
  kpiCards, sourcesOption, regionRows, mapOption, loadChinaMap, wordCloudAvailable, wordCloudOption, wordList, changeEl,
} from '../overview_widgets.js';

export const RANGES = { '24h': 24 * 3600e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const REFRESH_MS = 15000;

export function mount(root, ctx) {
  let range = RANGES[ctx.query.range] ? ctx.query.range : '24h';
  let timer = null;
  let pending = null;
  let disposed = false;
  const charts = [];

  const updated = h('span.muted', { id: 'overview-updated' });
  const wallLink = h('a.btn', { id: 'open-wall', href: `#/wall?range=${range}`, title: t('wall.open_hint') }, t('wall.open'));
  const rangeSel = h('div.segmented', { role: 'group', 'aria-label': t('overview.range') },
    Object.keys(RANGES).map((r) => h(`button.seg${r === range ? '.active' : ''}`, {
      type: 'button', dataset: { range: r },
      onclick: (e) => {
        range = r;
        ctx.replaceQuery({ range: r });
        wallLink.setAttribute('href', `#/wall?range=${r}`);
        for (const b of rangeSel.children) b.classList.toggle('active', b === e.currentTarget);
        load();
      },
    }, t(`range.${r}`))));

  const kpis = h('div.kpis');
  const trendEl = h('div.chart', { id: 'chart-trend' });
  const pieEl = h('div.chart', { id: 'chart-sources' });
  const regions = h('div.table-wrap', { id: 'overview-regions' });
  const mapEl = h('div.chart.chart-map', { id: 'chart-map' });
  const cloudEl = h('div.chart', { id: 'chart-words' });
  const cloudText = h('div');
  const events = h('div', { id: 'overview-events' });
  const alerts = h('div', { id: 'overview-alerts' });
  const err = h('div');

  root.append(
    h('div.page-head', h('h1', t('nav.overview')), h('div.page-tools', updated, rangeSel, wallLink)),
    err, kpis,
    h('div.grid.grid-2-1',
      h('section.card', h('h2', t('overview.trend')), trendEl),
      h('section.card', h('h2', t('overview.sources')), pieEl)),
    h('div.grid.grid-2-1',
      h('section.card', h('h2', t('overview.regions')), mapEl, regions),
      h('section.card', h('h2', t('overview.words')), cloudEl, cloudText)),
    h('div.grid.grid-2',
      h('section.card', h('h2', t('overview.open_alerts')), alerts),
      h('section.card', h('h2', t('overview.top_events')), events)));

  const trend = makeChart(trendEl);
  const pie = makeChart(pieEl);
  const map = makeChart(mapEl);
  const cloud = wordCloudAvailable() ? makeChart(cloudEl) : null;
  if (!wordCloudAvailable()) cloudEl.appendChild(h('div.empty', t('chart.unavailable')));
  for (const c of [trend, pie, map, cloud]) if (c) charts.push(c);
  const mapReady = map ? loadChinaMap() : Promise.resolve(false);
  // A province opens the feed filtered to it; a word searches the feed for it.
  if (map) map.chart.on('click', (p) => { if (p.name) ctx.navigate('feed', [], { province: p.name }); });
  if (cloud) cloud.chart.on('click', (p) => { if (p.name) ctx.navigate('feed', [], { q: p.name }); });

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
      if (disposed) return;
      clear(err).appendChild(errorBox(e));
    }
  }

  function render(d) {
    const trendRows = Array.isArray(d.trend) ? d.trend : [];
    const openAlerts = Array.isArray(d.open_alerts) ? d.open_alerts : [];
    const topEvents = Array.isArray(d.top_events) ? d.top_events : [];
    clear(kpis).append(...kpiCards(d));

    if (trend) trend.set(sentimentTrendOption(trendRows));
    if (pie) pie.set(sourcesOption(d));

    const rows = regionRows(d);
    mapEl.dataset.provinces = String(rows.length);
    if (map) {
      mapReady.then((ok) => {
        if (disposed) return;
        if (ok) map.set(mapOption(rows));
        else clear(mapEl).appendChild(h('div.empty', t('chart.unavailable')));
      });
    }
    clear(regions).appendChild(rows.length ? h('table.table.compact',
      h('thead', h('tr', h('th', t('overview.province')), h('th.num', t('overview.count')), h('th.num', t('wall.vs_previous')))),
      h('tbody', rows.slice(0, 10).map((r) => h('tr', { dataset: { province: r.name } },
        h('td', h('a', { href: `#/feed?province=${encodeURIComponent(r.name)}` }, r.name)),
        h('td.num', fmtNum(r.value)),
        h('td.num', changeEl(r.change))))))
      : emptyState());

    const words = Array.isArray(d.keywords) ? d.keywords : [];
    cloudEl.dataset.words = String(words.length);
    if (cloud) cloud.set(wordCloudOption(words));
    clear(cloudText).appendChild(words.length ? wordList(words) : emptyState(t('overview.no_words')));

    clear(events).appendChild(topEvents.length ? h('ol.rank-list', topEvents.slice(0, 10).map((ev) => h('li',
      h('a', { href: `#/events/${encodeURIComponent(ev.id)}` }, String(ev.title || ev.name || `#${ev.id}`)),
      // The server's summaries carry the post count (posts) and, when computed, the heat.
      h('span.rank-meta',
        typeof ev.heat === 'number' ? h('span.heat', { title: t('event.heat') }, `${t('event.heat')} ${fmtNum(ev.heat)}`) : null,
        h('span.muted', `${t('event.volume')} ${fmtNum(typeof ev.volume === 'number' ? ev.volume : ev.posts)}`)))))
      : emptyState(t('overview.no_events')));

    ctx.setOpenAlerts(openAlerts.length);
    clear(alerts).appendChild(openAlerts.length ? h('ul.alert-mini', openAlerts.slice(0, 10).map((a) => h(`li.level-border-${a.level}`,
      levelBadge(a.level),
      h('a', { href: `#/alerts/${encodeURIComponent(a.id)}` }, String(a.message || asText(a.rule) || `#${a.id}`)),
      timeEl(a.created_at))))
      : emptyState(t('overview.no_alerts')));
  }

  // Live: refresh at most every 3 s while posts stream in.
  function soon() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; load(); }, 3000);
  }
  const offPost = ctx.stream ? ctx.stream.on('post', soon) : () => {};
  const offAlert = ctx.stream ? ctx.stream.on('alert', soon) : () => {};

  load();
  timer = setInterval(load, REFRESH_MS);
  return () => {
    disposed = true;
    clearInterval(timer);
    clearTimeout(pending);
    offPost();
    offAlert();
    charts.forEach((c) => c.dispose());
  };
}
