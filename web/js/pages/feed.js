// 信息流 Live feed: search with filters (kept in the URL), infinite scroll by cursor, and new
// posts from the live stream prepended when they pass the filters.
import { api, LiveStream } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, SENTIMENTS, TYPES, debounce, nowMs } from '../dom.js';
import { postCard, rememberSchemes } from '../post_card.js';
import { exportButtons } from './reports.js';

const PAGE = 30;
const TIME_RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const FILTER_KEYS = ['q', 'scheme', 'sentiment', 'type', 'source', 'province', 'range', 'sort', 'event'];
const SOURCES = ['weibo', 'wechat', 'news', 'forum', 'douyin', 'video', 'hotline', 'survey', 'rss', 'other'];

export function mount(root, ctx) {
  const f = Object.fromEntries(FILTER_KEYS.map((k) => [k, ctx.query[k] || '']));
  let cursor = null;
  let done = false;
  let busy = false;
  let seq = 0;
  let disposed = false;
  const seen = new Set();

  const sel = (key, options, labelKey) => h('label.filter', h('span', t(labelKey)),
    h('select', {
      name: key, id: `filter-${key}`,
      onchange: (e) => { f[key] = e.target.value; apply(); },
    }, h('option', { value: '' }, t('filter.all')), options.map(([v, label]) => h('option', { value: v, selected: f[key] === v }, label))));
  const text = (key, labelKey, listId) => h('label.filter', h('span', t(labelKey)),
    h('input', {
      name: key, id: `filter-${key}`, value: f[key], list: listId, placeholder: t(`filter.${key}_placeholder`, null, ''),
      oninput: debounce((e) => { f[key] = e.target.value.trim(); apply(); }, 400),
    }));

  const schemeSel = sel('scheme', [], 'filter.scheme');
  const q = h('input.search', {
    id: 'filter-q', type: 'search', value: f.q, placeholder: t('feed.search_placeholder'), 'aria-label': t('feed.search'),
    onkeydown: (e) => { if (e.key === 'Enter') { f.q = e.target.value.trim(); apply(); } },
    oninput: debounce((e) => { f.q = e.target.value.trim(); apply(); }, 700),
  });
  const filters = h('form.filters', { onsubmit: (e) => e.preventDefault() },
    h('div.filter-row', q,
      h('select.sort', { id: 'filter-sort', 'aria-label': t('filter.sort'), onchange: (e) => { f.sort = e.target.value; apply(); } },
        h('option', { value: '' }, t('filter.sort_time')),
        h('option', { value: 'relevance', selected: f.sort === 'relevance' }, t('filter.sort_relevance'))),
      h('button.btn.btn-ghost.filters-toggle', { type: 'button', onclick: () => filters.classList.toggle('open') }, t('filter.more'))),
    h('div.filter-grid',
      schemeSel,
      sel('sentiment', SENTIMENTS.map((s) => [s, t(`sentiment.${s}`)]), 'filter.sentiment'),
      sel('type', TYPES.map((s) => [s, t(`type.${s}`)]), 'filter.type'),
      sel('source', SOURCES.map((s) => [s, t(`source.${s}`, null, s)]), 'filter.source'),
      text('province', 'filter.province', 'province-list'),
      sel('range', Object.keys(TIME_RANGES).map((r) => [r, t(`range.${r}`)]), 'filter.range'),
      h('button.btn.btn-ghost', { type: 'button', id: 'filter-reset', onclick: reset }, t('filter.reset'))),
    h('datalist', { id: 'province-list' }, PROVINCES.map((p) => h('option', { value: p }))));

  const status = h('div.feed-status', { id: 'feed-status' });
  const newBar = h('button.new-bar', { type: 'button', id: 'feed-new', hidden: true, onclick: showPending });
  const list = h('div.post-list', { id: 'feed-list' });
  const sentinel = h('div.sentinel', { id: 'feed-sentinel' });
  const err = h('div');
  root.append(h('div.page-head', h('h1', t('nav.feed')), status, exportButtons(params)), filters, newBar, err, list, sentinel);
  if (f.event) status.appendChild(h('span.badge.event-link', `${t('post.event')} #${f.event}`));

  api.get('/schemes').then((r) => {
    if (disposed) return;
    const s = schemeSel.querySelector('select');
    rememberSchemes(r.items, list);
    for (const it of r.items || []) s.appendChild(h('option', { value: String(it.id), selected: f.scheme === String(it.id) }, String(it.name || `#${it.id}`)));
  }).catch(() => {});

  function params() {
    const p = { limit: PAGE };
    for (const k of ['q', 'scheme', 'sentiment', 'type', 'source', 'province', 'event']) if (f[k]) p[k] = f[k];
    if (f.sort) p.sort = f.sort;
    if (f.range && TIME_RANGES[f.range]) p.from = new Date(nowMs() - TIME_RANGES[f.range]).toISOString();
    return p;
  }

  function apply() {
    connectStream();
    ctx.replaceQuery(Object.fromEntries(FILTER_KEYS.map((k) => [k, f[k]])));
    pending.length = 0;
    updateNewBar();
    cursor = null;
    done = false;
    seen.clear();
    clear(list);
    load();
  }

  function reset() {
    for (const k of FILTER_KEYS) f[k] = '';
    for (const el of filters.querySelectorAll('input, select')) el.value = '';
    apply();
  }

  async function load() {
    if (busy || done) return;
    busy = true;
    const my = ++seq;
    const spinner = loading();
    list.appendChild(spinner);
    try {
      const r = await api.get('/posts', { ...params(), cursor: cursor || undefined });
      if (disposed || my !== seq) return;
      clear(err);
      const items = Array.isArray(r.items) ? r.items : [];
      for (const p of items) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        list.appendChild(postCard(p));
      }
      cursor = r.next_cursor || null;
      done = !cursor || !items.length;
      if (!list.querySelector('.post-card')) list.appendChild(emptyState(t('feed.empty')));
      status.dataset.count = String(seen.size);
    } catch (e) {
      if (my === seq) clear(err).appendChild(errorBox(e));
      done = true;
    } finally {
      spinner.remove();
      if (my === seq) busy = false;
      if (!done && !disposed) requestAnimationFrame(checkSentinel);
    }
  }

  function checkSentinel() {
    const r = sentinel.getBoundingClientRect();
    if (r.top < window.innerHeight + 400) load();
  }
  const io = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) load(); }, { rootMargin: '400px' });
  io.observe(sentinel);

  // Live posts. Without a query or scheme the app's shared stream (every post the user may see)
  // is used and the simple filters are checked here; with one, a dedicated stream asks the server
  // to filter by the query language (GET /api/v1/stream?q=&scheme=).
  const pending = [];
  function matches(p) {
    const a = p.analysis || {};
    if (f.event && String(a.event?.id ?? a.event) !== f.event) return false;
    if (f.sentiment && a.sentiment?.label !== f.sentiment) return false;
    if (f.type && !(a.types || []).some((x) => (x.type || x) === f.type)) return false;
    if (f.source && p.source !== f.source) return false;
    if (f.province && !String(a.region?.province || p.region || '').includes(f.province)) return false;
    if (f.scheme && !(p.schemes || []).some((s) => String(s.id) === f.scheme)) return false;
    return true;
  }
  function onPost(p) {
    if (!p || !p.id || seen.has(p.id) || !matches(p)) return;
    if (f.sort === 'relevance' || window.scrollY > 300) {
      pending.push(p);
      updateNewBar();
      return;
    }
    insert([p]);
  }
  function insert(posts) {
    list.querySelector('.empty')?.remove();
    for (const p of posts) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      const card = postCard(p);
      card.classList.add('fresh');
      list.prepend(card);
    }
  }
  function showPending() {
    if (f.sort === 'relevance') { pending.length = 0; updateNewBar(); apply(); return; }
    insert(pending.splice(0));
    updateNewBar();
    window.scrollTo({ top: 0, behavior: 'smooth' });
  }
  function updateNewBar() {
    newBar.hidden = !pending.length;
    newBar.textContent = t('feed.new_posts', { n: pending.length });
  }
  let own = null;
  let offPost = () => {};
  let streamKey = null;
  function connectStream() {
    const key = `${f.q}\u0000${f.scheme}`;
    if (key === streamKey) return;
    streamKey = key;
    offPost();
    if (own) own.close();
    own = null;
    if (f.q || f.scheme) {
      own = new LiveStream({ types: 'post', q: f.q, scheme: f.scheme }).connect();
      offPost = own.on('post', onPost);
    } else offPost = ctx.stream ? ctx.stream.on('post', onPost) : () => {};
  }

  connectStream();
  load();
  return () => {
    disposed = true;
    io.disconnect();
    offPost();
    if (own) own.close();
  };
}

const PROVINCES = ['北京', '天津', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '上海', '江苏', '浙江', '安徽', '福建', '江西',
  '山东', '河南', '湖北', '湖南', '广东', '广西', '海南', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆',
  '香港', '澳门', '台湾'];
