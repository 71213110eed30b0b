// One contract, tested for real (issue 19): a whole session against the real `yuqing serve` on the
// replayed demo — reading every page's data, writing schemes, users, departments, contacts, SMTP,
// corrections, acknowledging an alert and opening an incident from it, and asking for things that
// fail — and every JSON answer validated with ajv against the OpenAPI document the server itself
// serves (GET /api/v1/openapi.json): the schema of the route, method and status that answered. An
// answer whose status the document does not list fails too.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { assert, runSteps } from './lib.mjs';
import { cli, replayDemo, startServer, unavailable } from './real_server.mjs';

// Compiles one validator per (path template, method, status) from the document; "#/components/
// schemas/X" becomes "#/$defs/X" so that each schema carries the components it refers to.
export function contractOf(doc) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
  addFormats(ajv);
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'));
  const cache = new Map();
  const routes = Object.keys(doc.paths).map((p) => ({
    template: p,
    re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
  }));
  function validator(template, method, status) {
    const key = `${method} ${template} ${status}`;
    if (cache.has(key)) return cache.get(key);
    const resp = doc.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)];
    const schema = resp?.content?.['application/json']?.schema;
    let v = null;
    if (schema) {
      const s = JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/'));
      v = ajv.compile({ ...s, $defs: defs });
    }
    const out = { declared: !!resp, v, typed: !!schema && !(schema.type === 'object' && !schema.properties) };
    cache.set(key, out);
    return out;
  }
  // -> {ok, why, typed, template}
  return function check(method, url, status, body) {
    const path = new URL(url, 'http://x').pathname;
    const route = routes.find((r) => r.re.test(path));
    if (!route) return { ok: false, why: `${method} ${path}: not in the document` };
    const { declared, v, typed } = validator(route.template, method, status);
    if (!declared) return { ok: false, why: `${method} ${route.template}: status ${status} not in the document`, template: route.template };
    if (!v) return { ok: true, typed: false, template: route.template };
    const ok = v(body);
    return {
      ok, typed, template: route.template,
      why: ok ? '' : `${method} ${route.template} ${status}: ${ajv.errorsText(v.errors, { separator: '; ' })}`,
    };
  };
}

// A cookie session like the dashboard's: the session cookie and the CSRF header.
function session(base) {
  let cookie = '';
  let csrf = '';
  const log = [];
  async function call(method, path, body) {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}), ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = r.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const text = await r.text();
    let data = null;
    const json = (r.headers.get('content-type') || '').includes('application/json');
    if (json) data = JSON.parse(text);
    if (json) log.push({ method, path, status: r.status, data });
    if (data && data.csrf_token) csrf = data.csrf_token;
    return { status: r.status, data };
  }
  return { call, log };
}

// Crisis response through the API: every incident, statement, commitment and talking-point answer.
async function incidentSession(s, want, id) {
  const inc = `/api/v1/incidents/${id}`;
  want(await s.call('GET', inc), 200, 'one incident');
  want(await s.call('POST', `${inc}/transition`, { to: 'acknowledged' }), 200, 'acknowledge');
  want(await s.call('POST', `${inc}/level`, { level: 'II', reason: '转发量上升' }), 200, 'level');
  want(await s.call('POST', `${inc}/roles`, { role: 'spokesperson', person: '张三' }), 200, 'role');
  want(await s.call('POST', `${inc}/links`, { kind: 'department', ref: '新闻中心' }), 200, 'link');
  want(await s.call('POST', `${inc}/communications`, { kind: 'media', with: '某报记者', content: '询问停水原因' }), 201, 'media contact');
  want(await s.call('POST', `${inc}/communications`, { kind: 'media', content: 1 }), 400, 'content not text');
  const tasks = await s.call('GET', `${inc}/tasks`);
  want(tasks, 200, 'tasks');
  if (tasks.data.items.length) want(await s.call('POST', `/api/v1/tasks/${tasks.data.items[0].id}/done`, { note: '已完成' }), 200, 'task done');
  const draft = await s.call('POST', `${inc}/statements`, {
    body: '关于东湖片区停水的情况通报。12月6日8时，东湖片区因管网检修停水，市水务集团已组织抢修。我们将于12月8日前公布水质检测结果。感谢市民的理解与监督。',
    kind: 'holding',
  });
  want(draft, 201, 'draft statement');
  const st = `/api/v1/statements/${draft.data.id}`;
  want(await s.call('POST', `${st}/comments`, { text: '写明检测机构', sentence: 2 }), 201, 'review comment');
  want(await s.call('GET', st), 200, 'one statement');
  want(await s.call('GET', `${inc}/statements`), 200, 'statements');
  want(await s.call('POST', `${st}/approve`, { override: '合同测试' }), 200, 'approve');
  want(await s.call('POST', `${st}/publish`, { channel: '官方微博' }), 200, 'publish');
  const promises = await s.call('GET', `${inc}/commitments`);
  want(promises, 200, 'commitments');
  if (promises.data.items.length) want(await s.call('POST', `/api/v1/commitments/${promises.data.items[0].id}/kept`, { evidence: 'https://example.org/result' }), 200, 'kept');
  want(await s.call('GET', `${inc}/timeline`), 200, 'timeline');
  want(await s.call('GET', `${inc}/eval`), 200, 'evaluation');
  const tp = await s.call('POST', '/api/v1/talking-points', { topic: '停水', question: '何时恢复供水？', answer: '预计今晚 20 时前恢复。' });
  want(tp, 201, 'talking point');
  want(await s.call('POST', `/api/v1/talking-points/${tp.data.id}/approve`), 200, 'talking point approved');
  want(await s.call('GET', '/api/v1/talking-points'), 200, 'talking points');
}

async function contractSession() {
  const user = 'contract-admin';
  const password = `Con-${Math.random().toString(36).slice(2)}-pw`;
  const server = await startServer((data) => {
    replayDemo(data, { recent: true });
    cli(data, ['user', 'add', user, '--role', 'admin', '--password-stdin'], `${password}\n`);
  });
  const { base } = server;
  const s = session(base);
  const want = (r, status, what) => assert(r.status === status, `${what}: ${status} expected, got ${r.status} ${JSON.stringify(r.data)?.slice(0, 300)}`);
  try {
    return await runSteps(`every answer of a demo session matches the served OpenAPI document (${base})`, [
      ['a whole session', async () => {
        want(await s.call('POST', '/api/v1/auth/login', { username: user, password: 'wrong-password' }), 401, 'wrong password');
        want(await s.call('POST', '/api/v1/auth/login', { username: user, password }), 200, 'login');
        want(await s.call('GET', '/api/v1/auth/me'), 200, 'me');
        const to = new Date();
        for (const days of [1, 7, 30]) {
          const from = new Date(to.getTime() - days * 86400e3);
          want(await s.call('GET', `/api/v1/overview?from=${from.toISOString()}&to=${to.toISOString()}`), 200, `overview ${days}d`);
        }
        want(await s.call('GET', '/api/v1/overview?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'overview backwards');
        want(await s.call('GET', '/api/v1/stats'), 200, 'stats');
        const page1 = await s.call('GET', '/api/v1/posts?limit=5');
        want(page1, 200, 'posts');
        if (page1.data.next_cursor) want(await s.call('GET', `/api/v1/posts?limit=5&cursor=${encodeURIComponent(page1.data.next_cursor)}`), 200, 'posts page 2');
        want(await s.call('GET', `/api/v1/posts?q=${encodeURIComponent('停水 AND 东湖')}&sort=relevance`), 200, 'posts search');
        want(await s.call('GET', `/api/v1/posts?q=${encodeURIComponent('(((')}`), 400, 'posts bad query');
        const postId = page1.data.items[0].id;
        want(await s.call('GET', `/api/v1/posts/${encodeURIComponent(postId)}`), 200, 'one post');
        want(await s.call('GET', '/api/v1/posts/no-such-post'), 404, 'no post');
        want(await s.call('POST', `/api/v1/posts/${encodeURIComponent(postId)}/sentiment`, { label: 'negative' }), 200, 'correction');
        const events = await s.call('GET', '/api/v1/events?limit=50&order=posts');
        want(events, 200, 'events');
        want(await s.call('GET', `/api/v1/events/${events.data.items[0].id}`), 200, 'one event');
        const alerts = await s.call('GET', '/api/v1/alerts?limit=20');
        want(alerts, 200, 'alerts');
        assert(alerts.data.items.length > 0, 'the demo raised alerts');
        const alert = alerts.data.items[0];
        want(await s.call('GET', `/api/v1/alerts/${alert.id}`), 200, 'one alert');
        want(await s.call('GET', `/api/v1/alerts/${alert.id}/deliveries`), 200, 'deliveries');
        want(await s.call('GET', `/api/v1/series?topic=${alert.scheme_id}`), 200, 'series');
        const incident = await s.call('POST', `/api/v1/incidents`, { alert_id: alert.id });
        want(incident, 201, 'incident from the alert');
        await incidentSession(s, want, incident.data.id);
        want(await s.call('GET', '/api/v1/incidents'), 200, 'incidents');
        if (alert.status === 'open') want(await s.call('POST', `/api/v1/alerts/${alert.id}/ack`, { note: '已知悉' }), 200, 'ack');
        const schemes = await s.call('GET', '/api/v1/schemes');
        want(schemes, 200, 'schemes');
        want(await s.call('GET', `/api/v1/schemes/${schemes.data.items[0].id}`), 200, 'one scheme');
        want(await s.call('POST', '/api/v1/schemes/validate', { query: '东湖 AND (停水' }), 200, 'validate');
        want(await s.call('POST', '/api/v1/schemes/test', { query: '东湖 AND 停水', last: '30d' }), 200, 'scheme test');
        const made = await s.call('POST', '/api/v1/schemes', { name: '合同测试方案', query: '合同 AND 测试', departments: [] });
        want(made, 201, 'new scheme');
        want(await s.call('PUT', `/api/v1/schemes/${made.data.id}`, { name: '合同测试方案', query: '合同 OR 测试' }), 200, 'replace scheme');
        want(await s.call('POST', '/api/v1/schemes', { name: 'x', query: '(((' }), 400, 'bad scheme');
        want(await s.call('DELETE', `/api/v1/schemes/${made.data.id}`), 200, 'delete scheme');
        want(await s.call('GET', '/api/v1/users'), 200, 'users');
        want(await s.call('POST', '/api/v1/users', { name: 'contract-viewer', role: 'viewer', departments: [] }), 201, 'new user');
        want(await s.call('PATCH', '/api/v1/users/contract-viewer', { role: 'analyst' }), 200, 'user role');
        want(await s.call('POST', '/api/v1/users/contract-viewer/password', {}), 200, 'reset password');
        want(await s.call('POST', '/api/v1/tokens', { name: 'contract' }), 201, 'token');
        want(await s.call('GET', '/api/v1/departments'), 200, 'departments');
        want(await s.call('POST', '/api/v1/departments', { name: '合同测试部', description: '测试', regions: ['浙江'] }), 201, 'new department');
        want(await s.call('POST', '/api/v1/departments', { name: '合同测试部' }), 409, 'department exists');
        want(await s.call('PATCH', `/api/v1/departments/${encodeURIComponent('合同测试部')}`, { description: '改过' }), 200, 'department edit');
        const contact = await s.call('POST', '/api/v1/contacts', { department: '合同测试部', channel: 'webhook', target: 'http://127.0.0.1:9/hook', name: '测试群' });
        want(contact, 201, 'new contact');
        want(await s.call('GET', '/api/v1/contacts'), 200, 'contacts');
        want(await s.call('PATCH', `/api/v1/contacts/${contact.data.id}`, { escalation_order: 1 }), 200, 'contact edit');
        const test = await s.call('POST', `/api/v1/contacts/${contact.data.id}/test`);
        want(test, 202, 'test send');
        want(await s.call('GET', `/api/v1/outbox/${test.data.outbox_id}`), 200, 'outbox entry');
        want(await s.call('DELETE', `/api/v1/departments/${encodeURIComponent('合同测试部')}`), 409, 'department with contacts');
        want(await s.call('DELETE', `/api/v1/contacts/${contact.data.id}`), 200, 'contact removed');
        want(await s.call('DELETE', `/api/v1/departments/${encodeURIComponent('合同测试部')}`), 200, 'department removed');
        want(await s.call('GET', '/api/v1/settings/smtp'), 200, 'smtp');
        want(await s.call('PUT', '/api/v1/settings/smtp', { url: 'smtp://127.0.0.1:2525', from: 'yuqing@example.org' }), 200, 'smtp set');
        want(await s.call('GET', '/api/v1/dict'), 200, 'dictionary');
        want(await s.call('POST', '/api/v1/dict', { words: ['合同测试词'] }), 201, 'dictionary add');
        want(await s.call('POST', '/api/v1/dict', { words: ['合同测试词'] }), 200, 'dictionary add again');
        want(await s.call('POST', '/api/v1/dict', { words: ['两个 词'] }), 400, 'dictionary bad word');
        want(await s.call('DELETE', `/api/v1/dict/${encodeURIComponent('合同测试词')}`), 200, 'dictionary remove');
        want(await s.call('DELETE', `/api/v1/dict/${encodeURIComponent('合同测试词')}`), 404, 'dictionary remove again');
        want(await s.call('GET', '/api/v1/audit?limit=50'), 200, 'audit');
        want(await s.call('POST', '/api/v1/auth/logout'), 200, 'logout');
        want(await s.call('GET', '/api/v1/auth/me'), 401, 'logged out');
      }],
      ['every JSON answer matches the document', async () => {
        const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
        const check = contractOf(doc);
        const results = s.log.map((e) => ({ e, r: check(e.method, e.path, e.status, e.data) }));
        const bad = results.filter((x) => !x.r.ok).map((x) => x.r.why);
        assert(!bad.length, `${bad.length} of ${results.length} answers do not match:\n  ${bad.join('\n  ')}`);
        const typed = new Set(results.filter((x) => x.r.typed).map((x) => `${x.e.method} ${x.r.template}`));
        const errors = results.filter((x) => x.e.status >= 400).length;
        console.log(`    ${results.length} answers valid (${errors} errors), ${typed.size} operations with typed schemas`);
        assert(typed.size >= 35, `typed schemas checked for >= 35 operations (${[...typed].join(', ')})`);
        // The validator is not blind: answers that break the contract fail.
        const ov = results.find((x) => x.r.template === '/api/v1/overview' && x.e.status === 200).e.data;
        const { previous, ...noPrevious } = ov;
        assert(!check('GET', '/api/v1/overview', 200, noPrevious).ok, 'an overview without previous fails');
        assert(!check('GET', '/api/v1/overview', 200, { ...ov, total: '607' }).ok, 'a total as a string fails');
        assert(!check('GET', '/api/v1/posts', 200, { items: [{ id: 1 }], next_cursor: null }).ok, 'a post without fields fails');
        assert(!check('GET', '/api/v1/schemes', 418, {}).ok, 'a status the document does not list fails');
        assert(!check('GET', '/api/v1/schemes', 404, { error: 'x' }).ok, 'an error body of the wrong shape fails');
      }],
    ]);
  } finally {
    await server.stop();
  }
}

export async function runContractE2e() {
  const why = unavailable();
  if (why) {
    console.log(`\n# the OpenAPI contract\n  - SKIP: ${why}`);
    return true;
  }
  return contractSession();
}
