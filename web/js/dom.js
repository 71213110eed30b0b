// DOM helpers. Everything that comes from the API is inserted as text (textContent / text nodes);
// the only markup we ever build from server data is <mark>, reconstructed by snippetNodes().
import { t, getLang } from './i18n.js';

// h('div.card', {onclick, title, dataset:{id}}, child, 'text', [children]) -> Element
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
    else if (k === 'href') {
      const safe = safeHref(v);
      if (safe) el.setAttribute('href', safe);
    } else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Only in-app hash links and http(s) URLs become links; javascript:, data: etc. never do.
export function safeHref(u) {
  if (typeof u !== 'string' || !u) return null;
  if (u.startsWith('#')) return u;
  try {
    const url = new URL(u, location.href);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch { /* not a URL */ }
  return null;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
export function unescapeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

// snippet_html is HTML-escaped text with hits in <mark>. We do not trust it as HTML: split on
// the literal <mark>/</mark> tags, unescape each piece and insert it as text, so any other tag
// shows up as visible text and never as markup.
export function snippetNodes(html) {
  const frag = document.createDocumentFragment();
  let inMark = false;
  for (const part of String(html).split(/(<mark>|<\/mark>)/i)) {
    if (/^<mark>$/i.test(part)) { inMark = true; continue; }
    if (/^<\/mark>$/i.test(part)) { inMark = false; continue; }
    if (!part) continue;
    const text = document.createTextNode(unescapeHtml(part));
    if (inMark) frag.appendChild(h('mark', text));
    else frag.appendChild(text);
  }
  return frag;
}

// Highlights terms in plain text (for live posts that come without a snippet).
export function highlightNodes(text, terms) {
  const frag = document.createDocumentFragment();
  const list = [...new Set((terms || []).filter((x) => typeof x === 'string' && x.trim()))]
    .sort((a, b) => b.length - a.length)
    .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (!list.length) {
    frag.appendChild(document.createTextNode(text));
    return frag;
  }
  const re = new RegExp(`(${list.join('|')})`, 'gi');
  String(text).split(re).forEach((part, i) => {
    if (!part) return;
    frag.appendChild(i % 2 ? h('mark', part) : document.createTextNode(part));
  });
  return frag;
}

export function fmtNum(n) {
  if (n === null || n === undefined || n === '') return '–';
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  if (getLang() === 'zh-CN' && Math.abs(v) >= 10000) return `${(v / 10000).toFixed(v >= 100000 ? 0 : 1)}万`;
  if (getLang() !== 'zh-CN' && Math.abs(v) >= 1000) return `${(v / 1000).toFixed(v >= 10000 ? 0 : 1)}k`;
  return String(Math.round(v * 100) / 100);
}

export function parseTime(x) {
  if (x === null || x === undefined || x === '') return null;
  const d = typeof x === 'number' ? new Date(x < 1e12 ? x * 1000 : x) : new Date(x);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtTime(x, withSeconds = false) {
  const d = parseTime(x);
  if (!d) return x ? String(x) : '–';
  const opts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false };
  if (withSeconds) opts.second = '2-digit';
  return d.toLocaleString(getLang(), opts);
}

// The dashboard's clock: the wall clock, or in a drill sandbox the drill's (GET /api/v1/drill),
// which may run faster than real time, so that "2 minutes ago" and deadlines count in drill time.
let clockAnchor = null; // {drill, wall, rate}
export function setClock(drillNowMs, rate) {
  clockAnchor = Number.isFinite(drillNowMs) ? { drill: drillNowMs, wall: Date.now(), rate: rate > 0 ? rate : 1 } : null;
}
export function nowMs() {
  return clockAnchor ? clockAnchor.drill + (Date.now() - clockAnchor.wall) * clockAnchor.rate : Date.now();
}

export function relTime(x) {
  const d = parseTime(x);
  if (!d) return '–';
  const s = Math.round((nowMs() - d.getTime()) / 1000);
  if (s < 45 && s > -45) return t('time.just_now');
  const abs = Math.abs(s);
  const [n, unit] = abs < 3600 ? [Math.round(abs / 60), 'minute'] : abs < 86400 ? [Math.round(abs / 3600), 'hour']
    : [Math.round(abs / 86400), 'day'];
  return new Intl.RelativeTimeFormat(getLang(), { numeric: 'auto' }).format(s > 0 ? -n : n, unit);
}

export function timeEl(x) {
  const d = parseTime(x);
  return h('time', { datetime: d ? d.toISOString() : undefined, title: fmtTime(x, true) }, relTime(x));
}

export const SENTIMENTS = ['negative', 'neutral', 'positive'];
export const TYPES = ['complaint', 'suggestion', 'rumor', 'attack', 'group_event', 'accident', 'praise', 'news'];
export const LEVELS = ['I', 'II', 'III', 'IV'];

export function sentimentBadge(label, score) {
  const known = SENTIMENTS.includes(label) ? label : 'unknown';
  const title = typeof score === 'number' ? `${t('post.score')} ${score.toFixed(2)}` : undefined;
  return h(`span.badge.sent-${known}`, { title, dataset: { sentiment: known } }, t(`sentiment.${known}`));
}

export function typeBadge(type, evidence) {
  const label = TYPES.includes(type) ? t(`type.${type}`) : String(type);
  const ev = Array.isArray(evidence) && evidence.length ? `${t('post.evidence')}: ${evidence.join('、')}` : undefined;
  return h(`span.badge.type`, { title: ev, dataset: { type: String(type) } }, label);
}

export function levelBadge(level) {
  const known = LEVELS.includes(level) ? level : 'unknown';
  return h(`span.badge.level.level-${known}`, { dataset: { level: known } }, t(`level.${known}`));
}

export function statusBadge(status) {
  return h(`span.badge.status.status-${String(status || 'unknown').replace(/[^a-z_]/gi, '')}`,
    t(`alert.status.${status}`, null, String(status || '–')));
}

export function emptyState(msg) {
  return h('div.empty', msg || t('common.empty'));
}

export function errorBox(err) {
  return h('div.error-box', { role: 'alert' }, err && err.message ? err.message : String(err));
}

export function loading() {
  return h('div.loading', { 'aria-busy': 'true' }, t('common.loading'));
}

// Shows a short message at the bottom of the screen.
export function toast(msg, kind = 'info', ms = 4000) {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', 'aria-live': 'polite' });
    document.body.appendChild(host);
  }
  const el = h(`div.toast.toast-${kind}`, msg);
  host.appendChild(el);
  setTimeout(() => el.remove(), ms);
  return el;
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

// A field's value whatever shape the server sends (string, {name}, {label}, number).
export function asText(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return String(v.name ?? v.title ?? v.label ?? v.id ?? JSON.stringify(v));
  return String(v);
}
