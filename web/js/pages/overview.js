// 态势 Overview: trend by sentiment, source mix, regions, top events, open alerts.
// Refreshes every 15 s and, throttled, whenever the live stream brings a post or an alert.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, fmtNum, fmtTime, levelBadge, emptyState, errorBox, timeEl, asText } from '../dom.js';
import { makeChart, sentimentTrendOption, pieOption } from '../charts.js';

const RANGES = { '24h': 24 * 3600e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const REFRESH_MS = 15000;

export function mount(root, ctx) {
  let range = RANGES[ctx.query.range] ? ctx.query.range : '24h';
  let timer = null;
  let pending = null;
  let disposed = false;
  const charts = [];

  const updated = h('span.muted', { id: 'overview-updated' });
  const rangeSel = h('div.segmented', { role: 'group', 'aria-label': t('overview.range') },
    Object.keys(RANGES).map((r) => h(`button.seg${r === range ? '.active' : ''}`, {
      type: 'button', dataset: { range: r },
      onclick: (e) => {
        range = r;
        ctx.replaceQuery({ range: r });
        for (const b of rangeSel.children) b.classList.toggle('active', b === e.currentTarget);
        load();
      },
    }, t(`range.${r}`))));

  const kpis = h('div.kpis');
  const trendEl = h('div.chart', { id: 'chart-trend' });
  const pieEl = h('div.chart', { id: 'chart-sources' });
  const regions = h('div.table-wrap', { id: 'overview-regions' });
  const events = h('div', { id: 'overview-events' });
  const alerts = h('div', { id: 'overview-alerts' });
  const err = h('div');

  root.append(
    h('div.page-head', h('h1', t('nav.overview')), h('div.page-tools', updated, rangeSel)),
    err, kpis,
    h('div.grid.grid-2-1',
      h('section.card', h('h2', t('overview.trend')), trendEl),
      h('section.card', h('h2', t('overview.sources')), pieEl)),
    h('div.grid.grid-3',
      h('section.card', h('h2', t('overview.open_alerts')), alerts),
      h('section.card', h('h2', t('overview.top_events')), events),
      h('section.card', h('h2', t('overview.regions')), regions)));

  const trend = makeChart(trendEl);
  const pie = makeChart(pieEl);
  if (trend) charts.push(trend);
  if (pie) charts.push(pie);

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
    const sum = (k) => trendRows.reduce((s, r) => s + Number(r[k] || 0), 0);
    const neg = sum('negative');
    const total = neg + sum('neutral') + sum('positive');
    const openAlerts = Array.isArray(d.open_alerts) ? d.open_alerts : [];
    const topEvents = Array.isArray(d.top_events) ? d.top_events : [];
    clear(kpis).append(
      kpi('kpi-volume', t('overview.kpi_volume'), fmtNum(total)),
      kpi('kpi-negative', t('overview.kpi_negative'), total ? `${((neg / total) * 100).toFixed(1)}%` : '–', neg / (total || 1) > 0.4 ? 'warn' : ''),
      kpi('kpi-alerts', t('overview.kpi_alerts'), String(openAlerts.length), openAlerts.length ? 'warn' : ''),
      kpi('kpi-events', t('overview.kpi_events'), String(topEvents.length)));

    if (trend) trend.set(sentimentTrendOption(trendRows));
    if (pie) {
      const src = (Array.isArray(d.sources) ? d.sources : []).map((s) => ({ name: t(`source.${s.source}`, null, String(s.source)), value: Number(s.count || 0) }));
      pie.set(pieOption(src, t('overview.sources')));
    }

    const regs = (Array.isArray(d.regions) ? d.regions : []).slice().sort((a, b) => (b.count || 0) - (a.count || 0));
    const max = regs.reduce((m, r) => Math.max(m, Number(r.count || 0)), 0) || 1;
    clear(regions).appendChild(regs.length ? h('table.table.compact',
      h('thead', h('tr', h('th', t('overview.province')), h('th.num', t('overview.count')), h('th.bar-col', ''))),
      h('tbody', regs.slice(0, 34).map((r) => h('tr',
        h('td', h('a', { href: `#/feed?province=${encodeURIComponent(r.province || '')}` }, r.province ? String(r.province) : t('overview.unknown_region'))),
        h('td.num', fmtNum(r.count)),
        h('td.bar-col', h('span.bar', { style: `width:${Math.round((Number(r.count || 0) / max) * 100)}%` }))))))
      : emptyState());

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

  function kpi(id, label, value, cls = '') {
    return h(`div.kpi${cls ? `.${cls}` : ''}`, { id }, h('div.kpi-value', value), h('div.kpi-label', label));
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
