// An in-memory stand-in for `yuqing serve` implementing the dashboard's API contract, so the
// dashboard can be developed and browser-tested without the C++ server. Not a reference for the
// server's behaviour beyond the shapes of requests and answers.
//
//   node web/tests/mock_server.mjs [--port 8090]      (users: admin/admin-pass, viewer/viewer-pass)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json' };

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// --- a tiny version of the query language: terms, "phrases", AND/OR/NOT, -term, parentheses ---
export function parseQuery(q) {
  const chars = Array.from(q);
  const toks = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (/\s/.test(c)) { i++; continue; }
    const col = i + 1;
    if (c === '(' || c === ')') { toks.push({ k: c, col }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < chars.length && chars[j] !== '"') j++;
      if (j >= chars.length) throw { column: col, message: `expected '"' to close the phrase opened at column ${col}`, zh: `第 ${col} 列开始的短语缺少结尾的 '"'` };
      toks.push({ k: 'w', v: chars.slice(i + 1, j).join(''), col });
      i = j + 1;
      continue;
    }
    if (c === '-') { toks.push({ k: 'NOT', col }); i++; continue; }
    let j = i;
    while (j < chars.length && !/[\s()"]/.test(chars[j])) j++;
    const w = chars.slice(i, j).join('');
    toks.push(['AND', 'OR', 'NOT'].includes(w) ? { k: w, col } : { k: 'w', v: w.toLowerCase(), col });
    i = j;
  }
  toks.push({ k: 'end', col: chars.length + 1 });
  let p = 0;
  const fail = (tok, en, zh) => { throw { column: tok.col, message: en, zh }; };
  const found = (tok) => (tok.k === 'end' ? 'the end of the query' : tok.k === 'w' ? `'${tok.v}'` : `'${tok.k}'`);
  function or() {
    const parts = [and()];
    while (toks[p].k === 'OR') { p++; parts.push(and()); }
    return parts.length === 1 ? parts[0] : (t) => parts.some((f) => f(t));
  }
  function and() {
    const parts = [unary()];
    for (;;) {
      if (toks[p].k === 'AND') { p++; parts.push(unary()); continue; }
      if (['w', '(', 'NOT'].includes(toks[p].k)) { parts.push(unary()); continue; }
      break;
    }
    return parts.length === 1 ? parts[0] : (t) => parts.every((f) => f(t));
  }
  function unary() {
    if (toks[p].k === 'NOT') { p++; const f = unary(); return (t) => !f(t); }
    const tok = toks[p];
    if (tok.k === '(') {
      p++;
      const f = or();
      if (toks[p].k !== ')') fail(toks[p], `expected ')' to close '(' at column ${tok.col}, found ${found(toks[p])}`, `第 ${tok.col} 列的 '(' 缺少对应的 ')'`);
      p++;
      return f;
    }
    if (tok.k === 'w') { p++; return (t) => t.includes(tok.v); }
    return fail(tok, `expected a term, found ${found(tok)}`, `此处应为检索词，实际为 ${found(tok)}`);
  }
  if (toks[0].k === 'end') fail(toks[0], 'the query is empty', '检索式为空');
  const f = or();
  if (toks[p].k !== 'end') fail(toks[p], toks[p].k === ')' ? "unexpected ')' without a matching '('" : `expected an operator or the end of the query, found ${found(toks[p])}`, "多余的 ')'");
  return { match: f, terms: toks.filter((x) => x.k === 'w').map((x) => x.v) };
}

const PROVINCES = ['北京', '上海', '广东', '浙江', '江苏', '四川', '湖北', '山东', '河南', '陕西'];
const SOURCES = ['weibo', 'news', 'wechat', 'forum', 'douyin', 'hotline'];
const NEG = ['投诉', '差', '骗', '乱收费', '排队', '拖延', '不满', '愤怒', '紧急', '事故', '谣言'];
const POS = ['感谢', '点赞', '满意', '高效', '表扬', '好评'];

function analyse(p) {
  const text = `${p.title || ''} ${p.text || ''}`;
  const n = NEG.filter((w) => text.includes(w)).length;
  const po = POS.filter((w) => text.includes(w)).length;
  const label = n > po ? 'negative' : po > n ? 'positive' : 'neutral';
  const types = [];
  if (/投诉|举报|乱收费/.test(text)) types.push({ type: 'complaint', evidence: text.match(/投诉|举报|乱收费/g).slice(0, 2) });
  if (/建议/.test(text)) types.push({ type: 'suggestion', evidence: ['建议'] });
  if (/谣言|网传/.test(text)) types.push({ type: 'rumor', evidence: text.match(/谣言|网传/g).slice(0, 2) });
  if (/感谢|表扬/.test(text)) types.push({ type: 'praise', evidence: text.match(/感谢|表扬/g).slice(0, 2) });
  const province = PROVINCES.find((x) => text.includes(x) || String(p.region || '').includes(x)) || '';
  return {
    sentiment: { label, score: label === 'negative' ? -0.6 - 0.1 * n : label === 'positive' ? 0.7 : 0.05 },
    types,
    region: { province, city: '' },
    keywords: Array.from(new Set(text.match(/[\u4e00-\u9fa5]{2}/g) || [])).slice(0, 5),
    simhash: crypto.createHash('md5').update(text).digest('hex').slice(0, 16),
    dup_of: '',
    event: /税|发票/.test(text) ? 1 : /地铁|列车|铁路/.test(text) ? 2 : null,
  };
}

export function createMock({ seed = true } = {}) {
  const users = {
    admin: { password: 'admin-pass', user: { name: 'admin', role: 'admin', departments: ['办公室', '宣传处'] } },
    viewer: { password: 'viewer-pass', user: { name: 'viewer', role: 'viewer', departments: ['宣传处'] } },
  };
  const sessions = new Map(); // sid -> {user, csrf}
  const posts = [];           // newest last
  const schemes = [];
  const alerts = [];
  const clients = new Map(); // SSE response -> filter {types, q, scheme}
  let nextScheme = 1;
  let nextAlert = 1;
  const corrections = [];
  const events = new EventEmitter();

  function addPost(raw, now = Date.now()) {
    if (!raw || typeof raw !== 'object' || typeof raw.text !== 'string' || !raw.text.trim()) return { status: 'quarantined', reason: 'missing_text' };
    const id = raw.id || `p${crypto.createHash('sha1').update(`${raw.source}|${raw.text}|${raw.published_at}`).digest('hex').slice(0, 12)}`;
    if (posts.some((x) => x.id === id)) return { id, status: 'duplicate' };
    const p = {
      id,
      source: raw.source || 'other',
      channel: raw.channel || '',
      url: raw.url || '',
      title: raw.title || '',
      text: raw.text,
      author: typeof raw.author === 'string' ? { id: raw.author, name: raw.author, followers: 0, verified: false, location: '' }
        : { id: '', name: '', followers: 0, verified: false, location: '', ...(raw.author || {}) },
      published_at: new Date(raw.published_at ? Date.parse(raw.published_at) || now : now).toISOString(),
      region: raw.region || '',
      metrics: { reposts: 0, comments: 0, likes: 0, views: 0, ...(raw.metrics || {}) },
    };
    p.analysis = analyse(p);
    const low = `${p.title} ${p.text}`.toLowerCase();
    p.schemes = [];
    for (const s of schemes) {
      if (s.enabled === false) continue;
      try {
        const q = parseQuery(s.query);
        if (q.match(low) && !(s.exclude || []).some((e) => { try { return parseQuery(e).match(low); } catch { return false; } })) {
          p.schemes.push({ id: s.id, terms: q.terms.filter((x) => low.includes(x)) });
        }
      } catch { /* bad scheme */ }
    }
    posts.push(p);
    return { id, status: 'stored', post: p };
  }

  function broadcast(type, data) {
    const msg = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const [res, f] of clients) {
      if (f.types && !f.types.split(',').includes(type)) continue;
      if (type === 'post' && f.scheme && !(data.schemes || []).some((x) => String(x.id) === f.scheme)) continue;
      if (type === 'post' && f.q) {
        try { if (!parseQuery(f.q).match(`${data.title} ${data.text}`.toLowerCase())) continue; } catch { continue; }
      }
      res.write(msg);
    }
  }

  function maybeAlert(p) {
    if (p.analysis.sentiment.label !== 'negative' || !p.schemes.length) return;
    const s = schemes.find((x) => x.id === p.schemes[0].id);
    const existing = alerts.find((a) => a.scheme_id === s.id && a.status === 'open');
    if (existing) { existing.evidence.push(p); return; }
    const text = `${p.title} ${p.text}`;
    const level = /紧急|事故/.test(text) ? 'II' : 'III';
    const a = {
      id: nextAlert++, level, status: 'open', scheme_id: s.id, scheme: s.name, event_id: p.analysis.event || 0,
      rule: 'sensitive_negative|burst', numbers: { burst_ratio: 4.2, negative_share: 0.8, volume: 3 },
      message: `「${s.name}」出现负面信息：${p.text.slice(0, 30)}`,
      evidence: [p], created_at: new Date().toISOString(), deadline: new Date(Date.now() + 3600e3).toISOString(), acked_by: null, acked_at: null,
      deliveries: [
        { channel: 'wecom', target: (s.departments || [])[0] || '宣传处', status: 'delivered', attempts: 1, delivered_at: new Date().toISOString(), last_error: '' },
        { channel: 'email', target: 'duty@example.org', status: 'retrying', attempts: 2, updated_at: new Date().toISOString(), last_error: 'smtp: connection refused' },
      ],
    };
    alerts.push(a);
    broadcast('alert', publicAlert(a));
  }

  const publicAlert = (a) => { const { deliveries, ...rest } = a; return rest; };

  if (seed) {
    const now = Date.now();
    const texts = [
      ['weibo', '某区税务局办税大厅排队两个小时，窗口只开了两个，投诉无门！', '广东'],
      ['news', '市税务局推出“非接触式”办税，企业点赞办理高效', '浙江'],
      ['forum', '网传个税汇算要补缴大额税款？税务部门：系谣言', '北京'],
      ['weibo', '地铁3号线早高峰故障，列车停运20分钟，乘客不满', '上海'],
      ['wechat', '建议在社区增设发票自助终端，方便老年人', '江苏'],
      ['douyin', '感谢铁路工作人员帮忙找回遗失的钱包', '四川'],
      ['hotline', '反映某税务所乱收费，要求退还多收的费用', '湖北'],
      ['news', '今年一季度全省减税降费政策落实情况通报', '山东'],
      ['weibo', '火车晚点三个小时也没有任何说明，服务太差', '河南'],
      ['forum', '请问电子发票怎么开具？有没有操作指南', '陕西'],
    ];
    for (let i = 0; i < 48; i++) {
      const [source, text, region] = texts[i % texts.length];
      addPost({
        id: `seed${i}`, source, text: i < texts.length ? text : `${text}（${i}）`, region,
        title: i % 4 === 0 ? text.slice(0, 14) : '',
        url: i % 3 === 0 ? `https://example.org/post/${i}` : '',
        author: { id: `u${i % 7}`, name: ['税务观察', '路人甲', '城市早报', '小王', '热心市民', '铁路迷', '财经评论'][i % 7], followers: [120, 35000, 1200000, 88, 560, 4300, 260000][i % 7], verified: i % 7 === 2 || i % 7 === 6, location: region },
        published_at: new Date(now - (48 - i) * 37 * 60e3).toISOString(),
        metrics: { reposts: (i * 37) % 500, comments: (i * 13) % 120, likes: (i * 91) % 2000, views: i % 5 ? 0 : i * 1000 },
      });
    }
    addPost({ id: 'xss1', source: 'weibo', text: '<img src=x onerror=alert(1)> 税务 <script>alert(2)</script>', title: '<b>bold?</b>', url: 'javascript:alert(3)', published_at: new Date(now - 60e3).toISOString(), author: { name: '<i>evil</i>' } });
    schemes.push({ id: nextScheme++, name: '税务服务', query: '税务 OR 发票 OR 个税', exclude: ['招聘'], departments: ['办公室'], regions: ['广东'], priority: 5, enabled: true },
      { id: nextScheme++, name: '铁路运输', query: '(地铁 OR 列车 OR 火车 OR 铁路) -招聘', exclude: [], departments: ['宣传处'], regions: [], priority: 3, enabled: true });
    for (const p of posts) {
      const low = `${p.title} ${p.text}`.toLowerCase();
      p.schemes = schemes.filter((s) => parseQuery(s.query).match(low)).map((s) => ({ id: s.id, terms: parseQuery(s.query).terms.filter((x) => low.includes(x)) }));
    }
    const ev = posts.filter((p) => p.analysis.event === 1);
    alerts.push({
      id: nextAlert++, level: 'II', status: 'open', scheme_id: 1, scheme: '税务服务', event_id: 1, numbers: { burst_ratio: 3.2, z: 4.1 },
      rule: { name: 'burst', window: '1h', ratio: 3.2, threshold: 3 }, message: '「税务服务」负面声量1小时内增长3.2倍',
      evidence: ev.slice(-3), created_at: new Date(now - 20 * 60e3).toISOString(), deadline: new Date(now + 40 * 60e3).toISOString(), acked_by: null, acked_at: null,
      deliveries: [{ channel: 'wecom', target: '办公室', status: 'delivered', attempts: 1, delivered_at: new Date(now - 20 * 60e3).toISOString(), last_error: '' }],
    }, {
      id: nextAlert++, level: 'IV', status: 'acked', scheme_id: 2, scheme: '铁路运输', event_id: 2,
      rule: 'negative_share>0.5', message: '「铁路运输」负面占比超过50%',
      evidence: posts.filter((p) => p.analysis.event === 2).slice(-2), created_at: new Date(now - 5 * 3600e3).toISOString(), deadline: null, acked_by: 'admin', acked_at: new Date(now - 4 * 3600e3).toISOString(),
      deliveries: [],
    });
  }

  // The shape of the real server's event (store/event_store.cc EventToJson, docs/api.md); the
  // event pages are tested against the real server (analysis_e2e.mjs), this keeps them sane here.
  function eventOf(id) {
    const ps = posts.filter((p) => String(p.analysis.event) === String(id));
    if (!ps.length) return null;
    const title = id === 1 || id === '1' ? '税务大厅排队与乱收费投诉' : '铁路晚点与地铁故障';
    const sorted = ps.slice().sort((a, b) => a.published_at.localeCompare(b.published_at));
    const count = (l) => ps.filter((p) => p.analysis.sentiment.label === l).length;
    const tally = (f) => ps.reduce((m, p) => { const k = f(p); if (k) m[k] = (m[k] || 0) + 1; return m; }, {});
    const hours = new Map();
    for (const p of ps) { const h = Math.floor(Date.parse(p.published_at) / 3600e3) * 3600e3; hours.set(h, (hours.get(h) || 0) + 1); }
    const authors = new Map();
    for (const p of ps) {
      const a = authors.get(p.author.id) || { author_id: p.author.id, author_name: p.author.name, posts: 0, reach: 0 };
      a.posts += 1;
      a.reach += p.author.followers || 0;
      authors.set(p.author.id, a);
    }
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    return {
      id: Number(id), title, representative_post: sorted[sorted.length - 1].id,
      first_seen: first.published_at, last_seen: last.published_at,
      first_seen_ms: Date.parse(first.published_at), last_seen_ms: Date.parse(last.published_at),
      posts: ps.length, originals: ps.filter((p) => !p.analysis.dup_of).length, copies: ps.filter((p) => p.analysis.dup_of).length, reposts: 0,
      volume: [...hours.entries()].sort((a, b) => a[0] - b[0]).map(([h, n]) => ({ hour: new Date(h).toISOString(), hour_ms: h, posts: n })),
      sentiment: { negative: count('negative'), neutral: count('neutral'), positive: count('positive') },
      types: tally((p) => (p.analysis.types[0] && (p.analysis.types[0].type || p.analysis.types[0]))),
      regions: tally((p) => p.analysis.region && p.analysis.region.province),
      sources: tally((p) => p.source),
      first_poster: { post: first.id, author_id: first.author.id, author_name: first.author.name },
      spreaders: [...authors.values()].sort((a, b) => b.reach - a.reach),
      keywords: [['排队', 14], ['税务', 9], ['乱收费', 6], ['窗口', 4], ['投诉', 8], ['大厅', 3], ['发票', 5]],
      merged_into: 0,
    };
  }

  function buckets(ps, step, from, to) {
    const out = [];
    for (let t = Math.floor(from / step) * step; t <= to; t += step) {
      const inB = ps.filter((p) => { const x = Date.parse(p.published_at); return x >= t && x < t + step; });
      out.push({ t: new Date(t).toISOString(), negative: inB.filter((p) => p.analysis.sentiment.label === 'negative').length, neutral: inB.filter((p) => p.analysis.sentiment.label === 'neutral').length, positive: inB.filter((p) => p.analysis.sentiment.label === 'positive').length });
    }
    return out;
  }

  function withSnippet(p, q) {
    let terms = [];
    try { if (q) terms = parseQuery(q).terms; } catch { terms = []; }
    terms = terms.concat(p.schemes.flatMap((s) => s.terms));
    let html = esc(p.text);
    for (const term of [...new Set(terms)].filter(Boolean).sort((a, b) => b.length - a.length)) {
      html = html.split(esc(term)).join(`<mark>${esc(term)}</mark>`);
    }
    return { ...p, snippet_html: html };
  }

  const send = (res, status, obj, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(obj));
  };
  const fail = (res, status, code, message) => send(res, status, { error: { code, message } });

  async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const c of req) { size += c.length; if (size > 2 << 20) throw new Error('too large'); chunks.push(c); }
    const s = Buffer.concat(chunks).toString('utf8');
    return s ? JSON.parse(s) : {};
  }

  function session(req) {
    const m = /(?:^|;\s*)yq_session=([^;]+)/.exec(req.headers.cookie || '');
    return m ? sessions.get(m[1]) : null;
  }

  function serveStatic(req, res, pathname) {
    let file;
    if (pathname === '/vendor/echarts.min.js') file = path.join(WEB, 'node_modules/echarts/dist/echarts.min.js');
    else {
      const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
      file = path.resolve(WEB, rel);
      if (!file.startsWith(WEB + path.sep) || rel.startsWith('node_modules') || rel.startsWith('tests')) { res.writeHead(404); res.end('not found'); return; }
    }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'X-Content-Type-Options': 'nosniff' });
      res.end(data);
    });
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    const q = Object.fromEntries(url.searchParams);
    if (!p.startsWith('/api/')) return serveStatic(req, res, p);
    if (p === '/api/v1/auth/login' && req.method === 'POST') {
      const b = await readBody(req);
      const u = users[b.username];
      if (!u || u.password !== b.password) return fail(res, 401, 'bad_credentials', 'wrong username or password');
      const sid = crypto.randomBytes(16).toString('hex');
      const csrf = crypto.randomBytes(16).toString('hex');
      sessions.set(sid, { user: u.user, csrf });
      return send(res, 200, { user: u.user, csrf_token: csrf }, { 'Set-Cookie': `yq_session=${sid}; HttpOnly; SameSite=Strict; Path=/` });
    }
    const s = session(req);
    if (!s) return fail(res, 401, 'unauthenticated', 'log in first');
    if (req.method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) return fail(res, 403, 'csrf', 'missing or wrong CSRF token');
    const canWrite = s.user.role !== 'viewer';
    let m;
    if (p === '/api/v1/auth/me') return send(res, 200, { user: s.user, csrf_token: s.csrf });
    if (p === '/api/v1/auth/logout') { sessions.delete(/yq_session=([^;]+)/.exec(req.headers.cookie)[1]); return send(res, 200, { ok: true }, { 'Set-Cookie': 'yq_session=; Max-Age=0; Path=/' }); }
    if (p === '/api/v1/stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': hello\n\n');
      clients.set(res, { types: q.types, q: q.q, scheme: q.scheme });
      events.emit('stream', clients.get(res));
      req.on('close', () => clients.delete(res));
      return undefined;
    }
    if (p === '/api/v1/posts' && req.method === 'GET') {
      let list = posts.slice().reverse();
      let match = null;
      if (q.q) { try { match = parseQuery(q.q).match; } catch (e) { return fail(res, 400, 'bad_query', `column ${e.column}: ${e.message}`); } }
      list = list.filter((x) => (!match || match(`${x.title} ${x.text}`.toLowerCase()))
        && (!q.source || x.source === q.source) && (!q.sentiment || x.analysis.sentiment.label === q.sentiment)
        && (!q.type || x.analysis.types.some((tp) => tp.type === q.type)) && (!q.province || x.analysis.region.province.includes(q.province))
        && (!q.event || String(x.analysis.event) === q.event) && (!q.scheme || x.schemes.some((sc) => String(sc.id) === q.scheme))
        && (!q.from || x.published_at >= q.from) && (!q.to || x.published_at <= q.to));
      const start = Number(q.cursor || 0);
      const limit = Math.min(Number(q.limit || 20), 100);
      const page = list.slice(start, start + limit);
      return send(res, 200, { items: page.map((x) => withSnippet(x, q.q)), next_cursor: start + limit < list.length ? String(start + limit) : null });
    }
    if (p === '/api/v1/posts' && req.method === 'POST') {
      const b = await readBody(req);
      const arr = Array.isArray(b) ? b : [b];
      const results = arr.map((x) => addPost(x));
      for (const r of results) if (r.status === 'stored') { broadcast('post', withSnippet(r.post)); maybeAlert(r.post); }
      const count = (st) => results.filter((r) => r.status === st).length;
      return send(res, 200, { stored: count('stored'), duplicates: count('duplicate'), quarantined: count('quarantined'), results: results.map(({ post, ...r }) => r) });
    }
    if ((m = /^\/api\/v1\/posts\/([^/]+)\/sentiment$/.exec(p)) && req.method === 'POST') {
      const b = await readBody(req);
      const post = posts.find((x) => x.id === decodeURIComponent(m[1]));
      if (!post) return fail(res, 404, 'not_found', 'no such post');
      if (!['negative', 'neutral', 'positive'].includes(b.label)) return fail(res, 400, 'bad_label', 'label must be negative, neutral or positive');
      corrections.push({ id: post.id, from: post.analysis.sentiment.label, to: b.label });
      post.analysis.sentiment = { label: b.label, score: post.analysis.sentiment.score, corrected: true };
      return send(res, 200, { ok: true });
    }
    if (p === '/api/v1/stats') return send(res, 200, { posts: posts.length, schemes: schemes.length, alerts: alerts.length });
    if (p === '/api/v1/overview') {
      const to = q.to ? Date.parse(q.to) : Date.now();
      const from = q.from ? Date.parse(q.from) : to - 86400e3;
      const inRange = posts.filter((x) => { const t = Date.parse(x.published_at); return t >= from && t <= to; });
      const step = to - from > 3 * 86400e3 ? 86400e3 : 3600e3;
      const countBy = (f) => [...inRange.reduce((mm, x) => mm.set(f(x), (mm.get(f(x)) || 0) + 1), new Map())];
      return send(res, 200, {
        trend: buckets(inRange, step, from, to),
        sources: countBy((x) => x.source).map(([source, count]) => ({ source, count })),
        regions: countBy((x) => x.analysis.region.province).map(([province, count]) => ({ province, count })),
        top_events: [1, 2].map((id) => eventOf(id)).filter(Boolean).map(({ volume, spreaders, ...summary }) => summary),
        open_alerts: alerts.filter((a) => a.status === 'open').map(publicAlert),
      });
    }
    if (p === '/api/v1/schemes' && req.method === 'GET') return send(res, 200, { items: schemes });
    if (p === '/api/v1/schemes/validate' && req.method === 'POST') {
      const b = await readBody(req);
      try { parseQuery(String(b.query ?? '')); return send(res, 200, { ok: true, error: null }); } catch (e) {
        return send(res, 200, { ok: false, error: { column: e.column, message: `column ${e.column}: ${e.message}`, message_zh: `第 ${e.column} 列：${e.zh}` } });
      }
    }
    if (p === '/api/v1/schemes/test' && req.method === 'POST') {
      const b = await readBody(req);
      let f;
      try { f = parseQuery(String(b.query ?? '')).match; } catch (e) { return fail(res, 400, 'bad_query', `column ${e.column}: ${e.message}`); }
      const hits = posts.filter((x) => f(`${x.title} ${x.text}`.toLowerCase())).reverse();
      return send(res, 200, { count: hits.length, samples: hits.slice(0, 5).map((x) => withSnippet(x, b.query)) });
    }
    if (p === '/api/v1/schemes' && req.method === 'POST') {
      if (!canWrite) return fail(res, 403, 'forbidden', 'viewers cannot change schemes');
      const b = await readBody(req);
      if (!b.name) return fail(res, 400, 'bad_request', 'name is required');
      try { parseQuery(String(b.query ?? '')); } catch (e) { return fail(res, 400, 'bad_query', `column ${e.column}: ${e.message}`); }
      const sc = { id: nextScheme++, name: b.name, query: b.query, exclude: b.exclude || [], departments: b.departments || [], regions: b.regions || [], priority: b.priority || 0, enabled: b.enabled !== false };
      schemes.push(sc);
      return send(res, 201, sc);
    }
    if ((m = /^\/api\/v1\/schemes\/(\d+)$/.exec(p))) {
      const i = schemes.findIndex((x) => String(x.id) === m[1]);
      if (i < 0) return fail(res, 404, 'not_found', 'no such scheme');
      if (req.method === 'GET') return send(res, 200, schemes[i]);
      if (!canWrite) return fail(res, 403, 'forbidden', 'viewers cannot change schemes');
      if (req.method === 'PUT') { const b = await readBody(req); schemes[i] = { ...schemes[i], ...b, id: schemes[i].id }; return send(res, 200, schemes[i]); }
      if (req.method === 'DELETE') { schemes.splice(i, 1); return send(res, 200, { ok: true }); }
    }
    if (p === '/api/v1/events') return send(res, 200, { items: [1, 2].map((id) => eventOf(id)).filter(Boolean) });
    if ((m = /^\/api\/v1\/events\/(\d+)$/.exec(p))) { const ev = eventOf(m[1]); return ev ? send(res, 200, { ...ev, recent_posts: posts.filter((x) => String(x.analysis.event) === m[1]).slice(-5) }) : fail(res, 404, 'not_found', 'no such event'); }
    if (p === '/api/v1/series') return send(res, 200, { points: buckets(posts.filter((x) => !q.event || String(x.analysis.event) === q.event), 3600e3, Date.now() - 24 * 3600e3, Date.now()) });
    if (p.startsWith('/api/v1/departments') || p.startsWith('/api/v1/contacts') || p.startsWith('/api/v1/outbox')
      || p.startsWith('/api/v1/users') || p === '/api/v1/settings/smtp') return settingsRoute(req, res, p, q, s);
    if (p === '/api/v1/alerts') return send(res, 200, { items: alerts.filter((a) => (!q.status || a.status === q.status) && (!q.level || a.level === q.level)).map(publicAlert) });
    if ((m = /^\/api\/v1\/alerts\/(\d+)(?:\/(ack|resolve|deliveries))?$/.exec(p))) {
      const a = alerts.find((x) => String(x.id) === m[1]);
      if (!a) return fail(res, 404, 'not_found', 'no such alert');
      if (!m[2]) return send(res, 200, { ...publicAlert(a), history: [{ at: a.created_at, kind: 'raised', level: a.level, by: 'system', note: '' }].concat(a.acked_at ? [{ at: a.acked_at, kind: 'acked', level: a.level, by: a.acked_by, note: '' }] : []) });
      if (m[2] === 'deliveries') return send(res, 200, { items: a.deliveries });
      if (req.method !== 'POST') return fail(res, 405, 'method', 'POST only');
      if (!canWrite) return fail(res, 403, 'forbidden', 'viewers cannot act on alerts');
      if (m[2] === 'ack') { a.status = 'acked'; a.acked_by = s.user.name; a.acked_at = new Date().toISOString(); }
      else a.status = 'resolved';
      return send(res, 200, publicAlert(a));
    }
    return fail(res, 404, 'not_found', `no route ${req.method} ${p}`);
  }

  // 设置: an in-memory directory (masking like the server; 测试发送 is delivered at once).
  const settings = {
    departments: [{ id: 1, name: '宣传处', description: '新闻发布', regions: ['浙江'], created_at: new Date().toISOString() }],
    contacts: [], outbox: [], smtp: { url: '', from: '', user: '', password: '' }, nextId: 2,
    users: [{ id: 1, name: 'admin', role: 'admin', departments: ['办公室', '宣传处'], disabled: false, has_password: true, created_at: new Date().toISOString() },
      { id: 2, name: 'viewer', role: 'viewer', departments: ['宣传处'], disabled: false, has_password: true, created_at: new Date().toISOString() }],
  };
  const mask = (x) => (!x ? '' : x.length < 12 ? '••••' : `••••${x.slice(-4)}`);
  const publicContact = (c) => ({ ...c, target: c.channel === 'email' ? c.target : c.target.replace(/^(\w+:\/\/[^/?#]+[/?#])(.*)$/, (m0, a, b) => a + mask(b)),
    secret: mask(c.secret), has_secret: !!c.secret });
  async function settingsRoute(req, res, p, q, s) {
    if (s.user.role !== 'admin' && !(p === '/api/v1/departments' && req.method === 'GET')) return fail(res, 403, 'permission', 'admins only');
    const body = req.method === 'GET' || req.method === 'DELETE' ? {} : await readBody(req);
    const dir = settings;
    let m;
    if (p === '/api/v1/departments') {
      if (req.method === 'GET') return send(res, 200, { items: dir.departments.map((d) => ({ ...d, contacts: dir.contacts.filter((c) => c.department === d.name).length })) });
      if (!body.name) return fail(res, 400, 'invalid', 'name: is required');
      if (dir.departments.some((d) => d.name === body.name)) return fail(res, 409, 'conflict', `department '${body.name}' exists`);
      const d = { id: dir.nextId++, name: body.name, description: body.description || '', regions: body.regions || [], created_at: new Date().toISOString() };
      dir.departments.push(d);
      return send(res, 201, { ...d, contacts: 0 });
    }
    if ((m = /^\/api\/v1\/departments\/([^/]+)$/.exec(p))) {
      const name = decodeURIComponent(m[1]);
      const d = dir.departments.find((x) => x.name === name || String(x.id) === name);
      if (!d) return fail(res, 404, 'not_found', `no department '${name}'`);
      if (req.method === 'DELETE') {
        if (dir.contacts.some((c) => c.department === d.name)) return fail(res, 409, 'conflict', 'it still has contacts');
        dir.departments = dir.departments.filter((x) => x !== d);
        return send(res, 200, { deleted: d.name });
      }
      Object.assign(d, { description: body.description ?? d.description, regions: body.regions ?? d.regions });
      return send(res, 200, { ...d, contacts: dir.contacts.filter((c) => c.department === d.name).length });
    }
    if (p === '/api/v1/contacts') {
      if (req.method === 'GET') return send(res, 200, { items: dir.contacts.filter((c) => !q.department || c.department === q.department).map(publicContact) });
      if (!/^https?:\/\//.test(body.target || '') && !(body.channel === 'email' && /@/.test(body.target || ''))) return fail(res, 400, 'invalid', 'target: must be an http(s) URL or an e-mail address');
      const c = { id: dir.nextId++, name: '', secret: '', escalation_order: 0, min_level: 'IV', enabled: true, ...body, created_at: new Date().toISOString() };
      dir.contacts.push(c);
      return send(res, 201, publicContact(c));
    }
    if ((m = /^\/api\/v1\/contacts\/(\d+)(\/test)?$/.exec(p))) {
      const c = dir.contacts.find((x) => String(x.id) === m[1]);
      if (!c) return fail(res, 404, 'not_found', `no contact ${m[1]}`);
      if (m[2]) {
        const now = new Date().toISOString();
        const e = { id: dir.nextId++, alert_id: 0, notice: 'test', contact_id: c.id, department: c.department, channel: c.channel, target: publicContact(c).target,
          status: 'delivered', attempts: 1, last_error: '', created_at: now, delivered_at: now, next_attempt_at: null, log: [{ at: now, attempt: 1, ok: true, status_code: 200, error: '', duration_ms: 3 }] };
        dir.outbox.push(e);
        return send(res, 202, { outbox_id: e.id, contact_id: c.id, status: 'pending' });
      }
      if (req.method === 'DELETE') { dir.contacts = dir.contacts.filter((x) => x !== c); return send(res, 200, { deleted: c.id }); }
      Object.assign(c, body);
      return send(res, 200, publicContact(c));
    }
    if ((m = /^\/api\/v1\/outbox\/(\d+)$/.exec(p))) {
      const e = dir.outbox.find((x) => String(x.id) === m[1]);
      return e ? send(res, 200, e) : fail(res, 404, 'not_found', 'no outbox entry');
    }
    if (p === '/api/v1/users') {
      if (req.method === 'GET') return send(res, 200, { items: dir.users });
      if (dir.users.some((u) => u.name === body.name)) return fail(res, 409, 'conflict', `user '${body.name}' already exists`);
      const u = { id: dir.nextId++, name: body.name, role: body.role, departments: body.departments || [], disabled: false, has_password: true, created_at: new Date().toISOString() };
      dir.users.push(u);
      return send(res, 201, { user: u, password: body.password ? null : 'mock-generated-pw' });
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)(\/password)?$/.exec(p))) {
      const u = dir.users.find((x) => x.name === decodeURIComponent(m[1]));
      if (!u) return fail(res, 404, 'not_found', 'no such user');
      if (m[2]) return send(res, 200, { user: u.name, password: body.password ? null : 'mock-reset-pw-123' });
      Object.assign(u, body);
      return send(res, 200, u);
    }
    if (req.method === 'PUT') {
      if (!/^smtps?:\/\//.test(body.url || '')) return fail(res, 400, 'invalid', 'url: must start with smtp:// or smtps://');
      dir.smtp = { ...dir.smtp, ...body };
    }
    const sm = dir.smtp;
    return send(res, 200, { configured: !!sm.url, url: sm.url, from: sm.from, user: sm.user || '', password_set: !!sm.password });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => { if (!res.headersSent) fail(res, 400, 'bad_request', String(e.message || e)); });
  });
  return { server, posts, schemes, alerts, corrections, broadcast, addPost, events };
}

export async function startMock(port = 0) {
  const mock = createMock();
  await new Promise((r) => mock.server.listen(port, '127.0.0.1', r));
  mock.url = `http://127.0.0.1:${mock.server.address().port}`;
  mock.close = () => new Promise((r) => { mock.server.closeAllConnections?.(); mock.server.close(r); });
  return mock;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const m = await startMock(i > 0 ? Number(process.argv[i + 1]) : 8090);
  console.log(`mock yuqing API + dashboard on ${m.url}  (admin/admin-pass, viewer/viewer-pass)`);
}
