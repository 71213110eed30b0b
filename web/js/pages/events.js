// 事件 Events: the list (#/events) and the event page (#/events/ID), read from the event object
// the server sends (store/event_store.cc EventToJson, described in docs/api.md): posts and their
// kinds, the hourly volume [{hour, hour_ms, posts}], sentiment, sources, regions, types, the first
// poster, spreaders [{author_name, posts, reach}], keywords [[word, weight]], the representative
// post's id, merged_into, and (on the page) recent_posts and the cascade forecast {observed,
// forecast, low, high, p_exceeds: {"500": p, ...}, rumor} (app/event_forecast.h). Post text is only
// ever text.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, fmtNum, fmtTime, timeEl, sentimentBadge, typeBadge } from '../dom.js';
import { makeChart, baseGrid, pieOption, COLORS } from '../charts.js';
import { postCard } from '../post_card.js';
import { exportButtons } from './reports.js';

// The forecast in words a press officer reads at a glance: how big it will get, how likely it
// passes 500 posts, and how likely it is a rumour.
function likelihood(p) {
  const k = p >= 0.8 ? 'very_high' : p >= 0.6 ? 'high' : p >= 0.4 ? 'medium' : p >= 0.2 ? 'low' : 'very_low';
  return t(`forecast.likelihood.${k}`);
}

function forecastCard(fc) {
  const pct = (p) => `${Math.round(num(p) * 100)}%`;
  const p500 = num((fc.p_exceeds || {})['500']);
  const rumor = num(fc.rumor);
  return h('section.card', { id: 'event-forecast' },
    h('h2', t('event.forecast')),
    h('p.forecast-words', { id: 'event-forecast-words' },
      t('event.forecast_words', { observed: fmtNum(num(fc.observed)), forecast: fmtNum(num(fc.forecast)),
        low: fmtNum(num(fc.low)), high: fmtNum(num(fc.high)) })),
    h('p.forecast-words', { id: 'event-forecast-p500' }, t('event.forecast_p500', { p: pct(p500), words: likelihood(p500) })),
    h('p.forecast-words', { id: 'event-forecast-rumor' }, t('event.forecast_rumor', { p: pct(rumor), words: likelihood(rumor) })),
    h('p.muted', t('event.forecast_note')));
}

export function mount(root, ctx) {
  return ctx.params[0] ? mountEvent(root, ctx, ctx.params[0]) : mountList(root, ctx);
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const mergedInto = (ev) => (Number(ev.merged_into) > 0 ? Number(ev.merged_into) : 0);
const eventHref = (id) => `#/events/${encodeURIComponent(String(id))}`;

// "已合并到事件 N" with a link to N.
function mergedNote(into) {
  const [before, after = ''] = t('event.merged_into', { n: '\u0000' }).split('\u0000');
  return h('span.merged-note', before, h('a.merged-link', { href: eventHref(into) }, String(into)), after);
}

function negativeShare(ev) {
  const s = ev.sentiment || {};
  const total = num(s.negative) + num(s.neutral) + num(s.positive);
  return total ? num(s.negative) / total : null;
}

const pct = (x) => (x === null ? '–' : `${Math.round(x * 100)}%`);

function mountList(root) {
  const body = h('div', loading());
  root.append(h('div.page-head', h('h1', t('nav.events'))), h('section.card', body));
  let disposed = false;
  api.get('/events', { limit: 100 }).then((r) => {
    if (disposed) return;
    const items = Array.isArray(r.items) ? r.items : [];
    clear(body).appendChild(items.length ? h('div.table-wrap', h('table.table', { id: 'events-table' },
      h('thead', h('tr',
        h('th', t('event.title')),
        h('th.num', t('event.posts')),
        h('th.num.hide-sm', t('event.negative_share')),
        h('th.hide-sm', t('event.first_poster')),
        h('th.hide-sm', t('event.first_seen')),
        h('th', t('event.last_seen')))),
      h('tbody', items.map((ev) => {
        const into = mergedInto(ev);
        const first = ev.first_poster || {};
        return h(`tr${into ? '.merged' : ''}`, { dataset: { id: String(ev.id) } },
          h('td.event-title-cell',
            h('a.event-link', { href: eventHref(ev.id) }, String(ev.title || `${t('post.event')} #${ev.id}`)),
            into ? h('div.muted.small', mergedNote(into)) : null),
          h('td.num', fmtNum(ev.posts)),
          h('td.num.hide-sm', pct(negativeShare(ev))),
          h('td.hide-sm', String(first.author_name || first.author_id || '–')),
          h('td.hide-sm', fmtTime(ev.first_seen)),
          h('td', ev.last_seen ? timeEl(ev.last_seen) : '–'));
      }))))
      : emptyState(t('event.none')));
  }).catch((e) => { if (!disposed) clear(body).appendChild(errorBox(e)); });
  return () => { disposed = true; };
}

function mountEvent(root, ctx, id) {
  let disposed = false;
  const charts = [];
  const body = h('div', loading());
  root.append(body);

  api.get(`/events/${encodeURIComponent(id)}`).then((ev) => {
    if (disposed) return;
    clear(body);
    render(ev || {});
  }).catch((e) => {
    if (!disposed) clear(body).append(h('div.page-head', h('h1', `${t('post.event')} #${id}`)), errorBox(e));
  });

  function section(title, idAttr, ...content) {
    return h('section.card', { id: idAttr }, h('h2', title), ...content);
  }

  function render(ev) {
    const into = mergedInto(ev);
    body.appendChild(h('div.page-head',
      h('div',
        h('div.crumbs', h('a', { href: '#/events' }, t('nav.events')), ' / ', `#${ev.id ?? id}`),
        h('h1', { id: 'event-title' }, String(ev.title || `${t('post.event')} #${id}`))),
      h('div', h('a.btn', { href: `#/feed?event=${encodeURIComponent(id)}` }, t('event.all_posts')), ' ',
        exportButtons(() => ({ event: ev.id ?? id })))));
    if (into) body.appendChild(h('div.notice', { id: 'event-merged', role: 'note' }, mergedNote(into)));

    const s = ev.sentiment || {};
    body.appendChild(h('div.kpis', { id: 'event-kpis' },
      kpi('kpi-posts', t('event.posts'), fmtNum(ev.posts)),
      kpi('kpi-originals', t('event.originals'), fmtNum(ev.originals)),
      kpi('kpi-reposts', t('event.reposts'), fmtNum(ev.reposts)),
      kpi('kpi-copies', t('event.copies'), fmtNum(ev.copies)),
      kpi('kpi-first-seen', t('event.first_seen'), fmtTime(ev.first_seen), true),
      kpi('kpi-last-seen', t('event.last_seen'), fmtTime(ev.last_seen), true),
      h('div.kpi', { id: 'kpi-sentiment' },
        h('div.kpi-value.sent-row', ['negative', 'neutral', 'positive'].map((k) => h('span', sentimentBadge(k), ` ${fmtNum(num(s[k]))}`))),
        h('div.kpi-label', t('event.sentiment')))));

    const grid = h('div.grid.grid-2-1');
    const volumeEl = h('div.chart', { id: 'chart-event-volume' });
    grid.appendChild(section(t('event.volume_chart'), 'event-volume', volumeEl));
    const sourcesEl = h('div.chart', { id: 'chart-event-sources' });
    grid.appendChild(section(t('event.sources'), 'event-sources', sourcesEl));
    body.appendChild(grid);
    drawVolume(volumeEl, Array.isArray(ev.volume) ? ev.volume : [], ev.forecast);
    if (ev.forecast && typeof ev.forecast === 'object') body.insertBefore(forecastCard(ev.forecast), grid);
    drawSources(sourcesEl, ev.sources);

    const grid2 = h('div.grid.grid-3');
    grid2.appendChild(section(t('event.first_poster'), 'event-first', firstPoster(ev.first_poster)));
    const spreaders = Array.isArray(ev.spreaders) ? ev.spreaders : [];
    grid2.appendChild(section(t('event.spreaders'), 'event-spreaders', spreaders.length ? spreaderTable(spreaders) : emptyState()));
    const kw = Array.isArray(ev.keywords) ? ev.keywords : [];
    grid2.appendChild(section(t('event.keywords'), 'event-keywords', kw.length ? wordCloud(kw) : emptyState()));
    body.appendChild(grid2);

    const grid3 = h('div.grid.grid-2');
    grid3.appendChild(section(t('event.types'), 'event-types', countTable(ev.types, (k) => typeBadge(k))));
    grid3.appendChild(section(t('event.regions'), 'event-regions', countTable(ev.regions, (k) => String(k))));
    body.appendChild(grid3);

    const rep = h('div', { id: 'event-representative' });
    body.appendChild(section(t('event.representative'), 'event-rep', rep));
    fillPost(rep, ev.representative_post);

    const recent = Array.isArray(ev.recent_posts) ? ev.recent_posts : [];
    body.appendChild(section(t('event.recent_posts'), 'event-posts', recent.length
      ? h('div.post-list', recent.map((p) => postCard(p, { compact: true }))) : emptyState()));
  }

  // One post by id, as a card that opens the post page; its absence said plainly.
  function fillPost(el, postId) {
    if (!postId) { el.appendChild(emptyState()); return; }
    el.appendChild(loading());
    api.get(`/posts/${encodeURIComponent(postId)}`).then((p) => {
      if (!disposed) clear(el).appendChild(postCard(p.post || p, { compact: true }));
    }).catch(() => {
      if (!disposed) clear(el).appendChild(h('a.post-open', { href: `#/posts/${encodeURIComponent(postId)}` }, t('post.open')));
    });
  }

  function firstPoster(f) {
    if (!f || !(f.author_name || f.author_id || f.post)) return emptyState();
    const el = h('div.first-poster',
      h('div.person', h('strong', { id: 'event-first-name' }, String(f.author_name || f.author_id)),
        f.author_name && f.author_id ? h('span.muted', ` @${f.author_id}`) : null));
    if (f.post) {
      const slot = h('div');
      el.appendChild(slot);
      fillPost(slot, f.post);
    }
    return el;
  }

  // Hourly bars, the cumulative count on the right axis and, when there is a forecast, its band:
  // from the count so far to the 80% interval of the final size a day later, the median dashed.
  function drawVolume(el, rows, fc) {
    if (!rows.length) { el.appendChild(emptyState()); el.classList.add('chart-empty'); return; }
    const c = makeChart(el);
    if (!c) return;
    charts.push(c);
    const data = rows.map((r) => [num(r.hour_ms) || Date.parse(r.hour), num(r.posts)]).filter(([x]) => Number.isFinite(x)).sort((a, b) => a[0] - b[0]);
    let total = 0;
    const cumulative = data.map(([x, n]) => [x, (total += n)]);
    const series = [
      { type: 'bar', name: t('event.posts'), color: COLORS.palette[0], barMaxWidth: 14, data },
      { type: 'line', name: t('event.cumulative'), yAxisIndex: 1, color: COLORS.palette[1], showSymbol: false, data: cumulative },
    ];
    if (fc && typeof fc === 'object' && cumulative.length && num(fc.high) >= num(fc.low)) {
      const [x0, y0] = cumulative[cumulative.length - 1];
      const x1 = x0 + 24 * 3600 * 1000;
      const low = Math.max(num(fc.low), y0);
      const high = Math.max(num(fc.high), low);
      const band = { type: 'line', yAxisIndex: 1, stack: 'forecast-band', showSymbol: false, lineStyle: { opacity: 0 } };
      series.push({ ...band, name: t('event.forecast_low'), data: [[x0, y0], [x1, low]] });
      series.push({ ...band, name: t('event.forecast_band'), color: COLORS.palette[1], areaStyle: { opacity: 0.2 }, data: [[x0, 0], [x1, high - low]] });
      series.push({ type: 'line', name: t('event.forecast_median'), yAxisIndex: 1, color: COLORS.palette[1], showSymbol: false,
        lineStyle: { type: 'dashed' }, data: [[x0, y0], [x1, Math.max(num(fc.forecast), y0)]] });
    }
    c.set({
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${fmtNum(v)} ${t('event.posts_unit')}` },
      legend: { data: [t('event.posts'), t('event.cumulative'), t('event.forecast_band')], bottom: 0 },
      grid: { ...baseGrid(), top: 20, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: [{ type: 'value', minInterval: 1, name: t('event.posts_per_hour') },
        { type: 'value', minInterval: 1, name: t('event.cumulative'), splitLine: { show: false } }],
      series,
    });
  }

  function drawSources(el, sources) {
    const items = Object.entries(sources && typeof sources === 'object' ? sources : {})
      .filter(([, n]) => num(n) > 0).sort((a, b) => b[1] - a[1])
      .map(([k, n]) => ({ name: t(`source.${k}`, null, k), value: n }));
    if (!items.length) { el.appendChild(emptyState()); el.classList.add('chart-empty'); return; }
    const c = makeChart(el);
    if (!c) return;
    charts.push(c);
    const option = pieOption(items, t('event.sources'));
    option.series[0].minShowLabelAngle = 12; // small slices: in the legend and tooltip only
    c.set(option);
  }

  return () => {
    disposed = true;
    charts.forEach((c) => c.dispose());
  };
}

function kpi(id, label, value, isTime = false) {
  return h('div.kpi', { id }, h(`div.kpi-value${isTime ? '.kpi-time' : ''}`, value), h('div.kpi-label', label));
}

function spreaderTable(list) {
  return h('table.table.compact', h('thead', h('tr', h('th', t('event.author')), h('th.num', t('event.author_posts')), h('th.num', t('event.reach')))),
    h('tbody', list.slice(0, 15).map((s) => h('tr',
      h('td.spreader-name', String(s.author_name || s.author_id || '–')),
      h('td.num', fmtNum(s.posts)),
      h('td.num', fmtNum(s.reach))))));
}

function countTable(obj, label) {
  const entries = Object.entries(obj && typeof obj === 'object' ? obj : {}).filter(([, n]) => num(n) > 0).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return emptyState();
  const max = entries[0][1] || 1;
  return h('table.table.compact', h('tbody', entries.slice(0, 15).map(([k, n]) => h('tr',
    h('td', label(k)),
    h('td.num', fmtNum(n)),
    h('td.bar-col', h('span.bar', { style: `width:${Math.round((n / max) * 100)}%` }))))));
}

// keywords: [[word, weight], ...]
function wordCloud(list) {
  const words = list.map((w) => (Array.isArray(w) ? { word: w[0], weight: Number(w[1]) || 1 } : typeof w === 'string' ? { word: w, weight: 1 } : null))
    .filter((w) => w && typeof w.word === 'string').slice(0, 60);
  if (!words.length) return emptyState();
  const max = Math.max(...words.map((w) => w.weight));
  const min = Math.min(...words.map((w) => w.weight));
  return h('div.word-cloud', words.map((w, i) => {
    const r = max === min ? 0.5 : (w.weight - min) / (max - min);
    return h('a.word', {
      href: `#/feed?q=${encodeURIComponent(w.word)}`,
      style: `font-size:${(0.85 + r * 1.25).toFixed(2)}rem;color:${COLORS.palette[i % COLORS.palette.length]}`,
      title: fmtNum(w.weight),
    }, w.word);
  }));
}
