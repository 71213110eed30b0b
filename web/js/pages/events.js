// 事件 Events: a list by heat (#/events) and the event page (#/events/ID). The event record is
// still taking shape on the server, so every section reads the fields it knows under their
// likely names and shows itself only when they are there; other scalar fields are listed as-is.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, fmtNum, fmtTime, timeEl, asText, sentimentBadge } from '../dom.js';
import { makeChart, sentimentTrendOption, COLORS } from '../charts.js';
import { postCard } from '../post_card.js';

export function mount(root, ctx) {
  return ctx.params[0] ? mountEvent(root, ctx, ctx.params[0]) : mountList(root, ctx);
}

function mountList(root) {
  const body = h('div', loading());
  root.append(h('div.page-head', h('h1', t('nav.events'))), h('section.card', body));
  let disposed = false;
  api.get('/events', { limit: 100 }).then((r) => {
    if (disposed) return;
    const items = (Array.isArray(r.items) ? r.items : []).slice().sort((a, b) => (Number(b.heat) || 0) - (Number(a.heat) || 0));
    clear(body).appendChild(items.length ? h('div.table-wrap', h('table.table', { id: 'events-table' },
      h('thead', h('tr', h('th', t('event.title')), h('th.num', t('event.heat')), h('th.num', t('event.volume')), h('th.hide-sm', t('event.first_seen')), h('th.hide-sm', t('event.last_seen')))),
      h('tbody', items.map((ev) => h('tr',
        h('td', h('a', { href: `#/events/${encodeURIComponent(ev.id)}` }, String(ev.title || ev.name || `#${ev.id}`))),
        h('td.num', fmtNum(ev.heat)),
        h('td.num', fmtNum(ev.volume ?? ev.count)),
        h('td.hide-sm', fmtTime(ev.first_seen ?? ev.first_at ?? ev.started_at)),
        h('td.hide-sm', ev.last_seen ?? ev.last_at ?? ev.updated_at ? timeEl(ev.last_seen ?? ev.last_at ?? ev.updated_at) : '–'))))))
      : emptyState(t('event.none')));
  }).catch((e) => { if (!disposed) clear(body).appendChild(errorBox(e)); });
  return () => { disposed = true; };
}

const pick = (o, ...keys) => {
  for (const k of keys) {
    const v = k.split('.').reduce((x, p) => (x && typeof x === 'object' ? x[p] : undefined), o);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
};
const arr = (v) => (Array.isArray(v) ? v : v && Array.isArray(v.items) ? v.items : []);

function mountEvent(root, ctx, id) {
  let disposed = false;
  const charts = [];
  const body = h('div', loading());
  root.append(body);

  api.get(`/events/${encodeURIComponent(id)}`).then(async (r) => {
    if (disposed) return;
    const ev = r.event && typeof r.event === 'object' ? { ...r, ...r.event } : r;
    clear(body);
    render(ev);
  }).catch((e) => { if (!disposed) clear(body).append(h('div.page-head', h('h1', `${t('post.event')} #${id}`)), errorBox(e)); });

  function section(title, idAttr, ...content) {
    return h('section.card', { id: idAttr }, h('h2', title), ...content);
  }

  function render(ev) {
    const used = new Set(['id', 'title', 'name', 'event']);
    const use = (...keys) => { keys.forEach((k) => used.add(k.split('.')[0])); return pick(ev, ...keys); };
    const title = use('title', 'name') || `#${id}`;
    const heat = use('heat');
    const heatValue = typeof heat === 'object' && heat ? (heat.value ?? heat.total ?? heat.index) : heat;
    const volume = use('volume', 'count', 'posts_count');
    const sent = use('sentiment', 'sentiments');

    body.appendChild(h('div.page-head',
      h('div', h('div.crumbs', h('a', { href: '#/events' }, t('nav.events')), ' / ', `#${id}`), h('h1', { id: 'event-title' }, String(title))),
      h('a.btn', { href: `#/feed?event=${encodeURIComponent(id)}` }, t('event.all_posts'))));

    const kpis = h('div.kpis',
      kpi(t('event.heat'), fmtNum(heatValue)),
      kpi(t('event.volume'), fmtNum(volume)),
      kpi(t('event.first_seen'), fmtTime(use('first_seen', 'first_at', 'started_at', 'start'))),
      kpi(t('event.last_seen'), fmtTime(use('last_seen', 'last_at', 'updated_at', 'end'))));
    const growth = use('growth', 'growth_rate', 'burst');
    if (growth !== undefined) kpis.appendChild(kpi(t('event.growth'), typeof growth === 'object' ? JSON.stringify(growth) : fmtNum(growth)));
    if (sent && typeof sent === 'object' && !Array.isArray(sent)) {
      kpis.appendChild(h('div.kpi', h('div.kpi-value.sent-row', ['negative', 'neutral', 'positive'].map((k) => h('span', sentimentBadge(k), ` ${fmtNum(sent[k] ?? 0)}`))), h('div.kpi-label', t('event.sentiment'))));
    }
    body.appendChild(kpis);

    // Timeline: from the event, or from /series?event=ID.
    const timelineEl = h('div.chart', { id: 'chart-event-timeline' });
    const grid = h('div.grid.grid-2-1');
    grid.appendChild(section(t('event.timeline'), 'event-timeline', timelineEl));
    const tl = use('timeline', 'series', 'trend', 'volume_series');
    drawTimeline(timelineEl, tl);

    const parts = use('heat_parts', 'heat_index', 'heat.parts', 'heat_components');
    const partsObj = parts && typeof parts === 'object' ? parts : (heat && typeof heat === 'object' ? heat : null);
    grid.appendChild(section(t('event.heat_parts'), 'event-heat', partsObj ? heatParts(partsObj) : emptyState()));
    body.appendChild(grid);

    const grid2 = h('div.grid.grid-3');
    const first = use('first_post', 'first_poster', 'origin', 'first');
    grid2.appendChild(section(t('event.first_poster'), 'event-first', first ? firstPoster(first) : emptyState()));
    const spreaders = arr(use('key_spreaders', 'spreaders', 'top_authors', 'influencers'));
    grid2.appendChild(section(t('event.spreaders'), 'event-spreaders', spreaders.length ? spreaderTable(spreaders) : emptyState()));
    const kw = arr(use('keywords', 'words', 'word_cloud', 'terms'));
    grid2.appendChild(section(t('event.keywords'), 'event-keywords', kw.length ? wordCloud(kw) : emptyState()));
    body.appendChild(grid2);

    const dups = arr(use('duplicate_groups', 'dup_groups', 'near_duplicates', 'duplicates'));
    body.appendChild(section(t('event.dup_groups'), 'event-dups', dups.length ? dupGroups(dups) : emptyState()));

    const reps = arr(use('representative_posts', 'representatives', 'posts', 'samples', 'top_posts'));
    body.appendChild(section(t('event.representative'), 'event-posts', reps.length
      ? h('div.post-list', reps.map((p) => postCard(p))) : emptyState()));

    const extra = Object.entries(ev).filter(([k, v]) => !used.has(k) && v !== null && typeof v !== 'object');
    if (extra.length) {
      body.appendChild(section(t('event.other'), 'event-other', h('dl.kv', extra.map(([k, v]) => [h('dt', t(`event.field.${k}`, null, k)), h('dd', String(v))]))));
    }
  }

  async function drawTimeline(el, tl) {
    let rows = arr(tl);
    if (!rows.length) {
      try {
        const s = await api.get('/series', { event: id });
        rows = arr(s.points ?? s.series ?? s.buckets ?? s);
      } catch { rows = []; }
    }
    if (disposed) return;
    if (!rows.length) { el.appendChild(emptyState()); el.classList.add('chart-empty'); return; }
    const c = makeChart(el);
    if (!c) return;
    charts.push(c);
    const norm = rows.map((r) => (Array.isArray(r) ? { t: r[0], count: r[1] } : r));
    const hasSent = norm.some((r) => r.negative !== undefined || r.positive !== undefined);
    if (hasSent) c.set(sentimentTrendOption(norm.map((r) => ({ ...r, t: r.t ?? r.time ?? r.bucket ?? r.ts }))));
    else {
      c.set({
        tooltip: { trigger: 'axis' },
        grid: { left: 44, right: 16, top: 20, bottom: 28, containLabel: true },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.3 }, color: COLORS.palette[0], name: t('event.volume'),
          data: norm.map((r) => [r.t ?? r.time ?? r.bucket ?? r.ts, Number(r.count ?? r.volume ?? r.value ?? 0)]) }],
      });
    }
  }

  return () => {
    disposed = true;
    charts.forEach((c) => c.dispose());
  };
}

function kpi(label, value) {
  return h('div.kpi', h('div.kpi-value', value), h('div.kpi-label', label));
}

function heatParts(obj) {
  const entries = Object.entries(obj).filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v))));
  if (!entries.length) return emptyState();
  const max = Math.max(...entries.map(([, v]) => Math.abs(Number(v)))) || 1;
  return h('table.table.compact', h('tbody', entries.map(([k, v]) => h('tr',
    h('td', t(`heat.${k}`, null, k)),
    h('td.num', fmtNum(Number(v))),
    h('td.bar-col', h('span.bar', { style: `width:${Math.round((Math.abs(Number(v)) / max) * 100)}%` }))))));
}

function firstPoster(f) {
  if (f.text !== undefined || f.snippet_html !== undefined) return postCard(f, { compact: true });
  const a = f.author && typeof f.author === 'object' ? f.author : f;
  return h('div.person',
    h('strong', asText(a.name ?? a.id ?? f.author)),
    a.verified ? h('span.verified', '✔') : null,
    a.followers !== undefined ? h('div.muted', `${fmtNum(a.followers)} ${t('post.followers')}`) : null,
    f.published_at || f.at ? h('div.muted', fmtTime(f.published_at ?? f.at)) : null,
    f.source ? h('div.muted', String(f.source)) : null);
}

function spreaderTable(list) {
  return h('table.table.compact', h('thead', h('tr', h('th', t('event.author')), h('th.num', t('post.followers')), h('th.num', t('event.reach')))),
    h('tbody', list.slice(0, 15).map((s) => {
      const a = s.author && typeof s.author === 'object' ? s.author : s;
      return h('tr',
        h('td', asText(a.name ?? a.id ?? s.author), a.verified ? h('span.verified', '✔') : null),
        h('td.num', fmtNum(a.followers)),
        h('td.num', fmtNum(s.reposts ?? s.reach ?? s.score ?? s.posts ?? s.count)));
    })));
}

function wordCloud(list) {
  const words = list.map((w) => (typeof w === 'string' ? { word: w, weight: 1 } : Array.isArray(w) ? { word: w[0], weight: Number(w[1]) || 1 }
    : { word: w.word ?? w.term ?? w.name ?? w.text, weight: Number(w.weight ?? w.score ?? w.count ?? w.value ?? 1) }))
    .filter((w) => w.word !== undefined).slice(0, 60);
  const max = Math.max(...words.map((w) => w.weight)) || 1;
  const min = Math.min(...words.map((w) => w.weight));
  return h('div.word-cloud', words.map((w, i) => {
    const r = max === min ? 0.5 : (w.weight - min) / (max - min);
    return h('span.word', {
      style: `font-size:${(0.85 + r * 1.25).toFixed(2)}rem;color:${COLORS.palette[i % COLORS.palette.length]}`,
      title: String(w.weight),
    }, String(w.word));
  }));
}

function dupGroups(groups) {
  return h('div.dup-groups', groups.slice(0, 20).map((g) => {
    const rep = g.representative || g.post || g.head || (Array.isArray(g.posts) ? g.posts[0] : null);
    const size = g.size ?? g.count ?? (Array.isArray(g.posts) ? g.posts.length : Array.isArray(g.ids) ? g.ids.length : undefined);
    return h('div.dup-group',
      h('div.dup-size', t('event.dup_size', { n: size ?? '?' })),
      rep && typeof rep === 'object' ? postCard(rep, { compact: true, correctable: false })
        : h('div.muted', asText(g.text ?? g.title ?? rep ?? g.id)));
  }));
}
