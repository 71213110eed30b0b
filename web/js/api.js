// The REST client: same-origin cookies, the CSRF token (kept in memory only) on every
// state-changing request, JSON errors turned into ApiError, and the shared live stream (SSE).
import { getLang } from './i18n.js';

const BASE = '/api/v1';
let csrfToken = null;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, code, message, info = {}) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.info = info; // the whole {"error": {...}} object: column, message_zh, ...
  }
}

// The server may send a Chinese message beside the English one.
export function localMessage(err) {
  if (!err) return '';
  if (getLang() === 'zh-CN' && err.message_zh) return String(err.message_zh);
  return String(err.message ?? '');
}

export function setCsrf(token) {
  csrfToken = token || null;
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

function qs(params) {
  if (!params) return '';
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

export async function request(method, path, { body, query, signal, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(BASE + path + qs(query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e.message);
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = data && data.error ? data.error : {};
    const e = new ApiError(res.status, err.code || `http_${res.status}`, localMessage(err) || text.slice(0, 200) || res.statusText, err);
    if (res.status === 401 && !quiet401) onUnauthorized(e);
    throw e;
  }
  return data ?? {};
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body: body ?? {} }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body: body ?? {} }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body: body ?? {} }),
  del: (path, opts) => request('DELETE', path, opts),
};

// One EventSource for the whole app; pages subscribe to 'post' and 'alert' (and 'status', which
// reports 'open' / 'error'). Reconnection is EventSource's own. Page-specific filters are passed
// to the server as query parameters by openStream() for a dedicated connection.
export class LiveStream {
  constructor(params) {
    this.params = params;
    this.handlers = new Map();
    this.source = null;
    this.state = 'closed';
  }

  connect() {
    if (this.source || typeof EventSource === 'undefined') return this;
    const src = new EventSource(`${BASE}/stream${qs(this.params)}`);
    this.source = src;
    src.onopen = () => this.setState('open');
    src.onerror = () => this.setState(src.readyState === EventSource.CLOSED ? 'closed' : 'error');
    for (const type of ['post', 'alert']) {
      src.addEventListener(type, (ev) => {
        let data;
        try { data = JSON.parse(ev.data); } catch { return; }
        this.emit(type, data);
      });
    }
    return this;
  }

  setState(s) {
    this.state = s;
    this.emit('status', s);
  }

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return () => this.handlers.get(type)?.delete(fn);
  }

  emit(type, data) {
    for (const fn of this.handlers.get(type) || []) {
      try { fn(data); } catch (e) { console.error(e); }
    }
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
    this.setState('closed');
  }
}
