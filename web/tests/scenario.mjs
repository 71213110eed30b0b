// The user journey the real end-to-end test (e2e.mjs) walks through: log in, write a
// scheme with a syntax error then fix it, ingest posts through the API and watch them arrive in
// the live feed, see an alert and acknowledge it, switch language, and check that a post whose
// text is HTML shows as text. Waits are on conditions only.
import { assert, shot } from './lib.mjs';

export const XSS_TEXT = '<img src=x onerror=alert(1)>';

// Calls the API from inside the page, with the session cookie and the CSRF token of the session.
export async function apiCall(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = await fetch('/api/v1/auth/me', { credentials: 'same-origin' }).then((r) => r.json());
    const res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    return { status: res.status, data };
  }, { method, path, body });
}

export function journey({ base, user, password, prefix, problems, tag = `${Date.now() % 1e6}` }) {
  const page = () => journey.page;
  const marker = `测试局${tag}`;
  const schemeName = `E2E方案 ${tag}`;
  let schemeId = null;
  let alertId = null;

  const steps = [
    ['login page rejects a wrong password', async () => {
      const p = page();
      await p.goto(`${base}/#/login`);
      await p.waitForSelector('#login-username');
      await shot(p, `${prefix}-login`);
      await p.fill('#login-username', user);
      await p.fill('#login-password', `${password}-wrong`);
      await p.click('#login-submit');
      await p.waitForSelector('#login-error:not([hidden])');
    }],
    ['log in and see the overview', async () => {
      const p = page();
      await p.fill('#login-password', password);
      await p.click('#login-submit');
      await p.waitForSelector('#user-name');
      await p.waitForSelector('#kpi-volume');
      await p.waitForSelector('#chart-trend canvas');
      const name = await p.textContent('#user-name');
      assert(name.includes(user), `header shows the user (${name})`);
      await p.waitForSelector('#live-status.live-open', { timeout: 10000 });
      await shot(p, `${prefix}-overview`);
    }],
    ['a scheme with a syntax error shows the column; fixing it validates; save', async () => {
      const p = page();
      await p.goto(`${base}/#/schemes/new`);
      await p.waitForSelector('#scheme-query');
      await p.fill('#scheme-name', schemeName);
      await p.fill('#scheme-query', `${marker} AND (投诉 OR 举报`);
      await p.waitForSelector('#scheme-query-error.bad');
      const col = Number(await p.getAttribute('#scheme-query-error', 'data-column'));
      assert(col > 0, `the error names a column (${await p.textContent('#scheme-query-error')})`);
      await p.waitForSelector('#scheme-query-errcol');
      assert(await p.getAttribute('#scheme-query', 'aria-invalid') === 'true', 'query marked invalid');
      await shot(p, `${prefix}-scheme-error`);
      await p.fill('#scheme-query', `${marker} AND (投诉 OR 举报 OR 排队)`);
      await p.waitForSelector('#scheme-query-error.ok');
      assert(!(await p.$('#scheme-query-errcol')), 'column mark removed once valid');
      await p.click('#scheme-test');
      await p.waitForSelector('#scheme-test-count');
      await p.click('#scheme-save');
      await p.waitForFunction(() => /#\/schemes\/\d+/.test(location.hash));
      schemeId = (await p.evaluate(() => location.hash)).split('/').pop();
      await p.waitForSelector(`.scheme-item[data-id="${schemeId}"]`);
      await shot(p, `${prefix}-schemes`);
    }],
    ['posts ingested through the API appear in the live feed (SSE)', async () => {
      const p = page();
      await p.goto(`${base}/#/feed`);
      await p.waitForSelector('#feed-list .post-card, #feed-list .empty');
      await p.waitForSelector('#live-status.live-open', { timeout: 10000 });
      const now = new Date().toISOString();
      const posts = [
        { source: 'weibo', text: `${marker}办税大厅排队三个小时，窗口只开一个，我要投诉！`, author: { name: '愤怒的网友', followers: 1200 }, published_at: now, region: '浙江杭州' },
        { source: 'forum', text: `${marker}乱收费，举报无门，太差了`, author: { name: '路人乙' }, published_at: now },
        { source: 'weibo', text: `${XSS_TEXT} ${marker} 投诉`, title: '<script>alert("t")</script>', url: 'javascript:alert(1)', author: { name: '<b>attacker</b>' }, published_at: now },
        // An accident with casualties, negative: the default policy raises a level IV alert on it.
        { source: 'weibo', text: `${marker}办税大厅排队人群拥挤发生踩踏事故，三人受伤送医，太可怕了`, author: { name: '现场网友' }, published_at: now },
      ];
      const r = await apiCall(p, 'POST', '/posts', posts);
      assert(r.status === 200 || r.status === 201 || r.status === 202, `ingest answered ${r.status} ${JSON.stringify(r.data)}`);
      assert((r.data.stored ?? 0) + (r.data.duplicates ?? 0) >= 3, `stored the posts: ${JSON.stringify(r.data)}`);
      await p.waitForFunction((m) => [...document.querySelectorAll('#feed-list .post-card')].filter((c) => c.textContent.includes(m)).length >= 3, marker, { timeout: 15000 });
      await shot(p, `${prefix}-feed-live`);
    }],
    ['the HTML post shows as text (no element, no dialog)', async () => {
      const p = page();
      const card = await p.waitForSelector(`#feed-list .post-card:has-text("${XSS_TEXT}")`);
      const text = await card.textContent();
      assert(text.includes(XSS_TEXT), 'the markup is visible as text');
      assert(!(await p.$('#feed-list img')), 'no <img> element in the feed');
      assert(!(await p.$('#feed-list script')), 'no <script> element in the feed');
      const hrefs = await p.$$eval('#feed-list a', (as) => as.map((a) => a.getAttribute('href') || ''));
      assert(!hrefs.some((h) => /^javascript:/i.test(h)), 'no javascript: links');
      assert(!problems.some((x) => x.startsWith('dialog')), `no dialog opened: ${problems.join('; ')}`);
      // The same after a reload (the search path, snippet_html).
      await p.goto(`${base}/#/feed?q=${encodeURIComponent(marker)}`);
      await p.reload();
      await p.waitForSelector(`#feed-list .post-card:has-text("${XSS_TEXT}")`);
      assert(!(await p.$('#feed-list img')), 'no <img> after a search either');
      await shot(p, `${prefix}-feed-search`);
    }],
    ['an alert appears and can be acknowledged', async () => {
      const p = page();
      const probe = await apiCall(p, 'GET', '/alerts?status=open');
      if (probe.status === 404) return { skip: 'GET /api/v1/alerts answers 404: the warning stage is not served yet' };
      assert(probe.status === 200, `alerts answered ${probe.status}`);
      await p.goto(`${base}/#/alerts`);
      // Wait (polling the API from the page) for an open alert of our scheme.
      const handle = await p.waitForFunction(async (sid) => {
        const r = await fetch('/api/v1/alerts?status=open', { credentials: 'same-origin' });
        if (!r.ok) return null;
        const d = await r.json();
        const a = (d.items || []).find((x) => String(x.scheme_id ?? x.scheme?.id ?? x.scheme) === sid);
        return a ? String(a.id) : null;
      }, String(schemeId), { polling: 500, timeout: 30000 }).catch(() => null);
      alertId = handle ? await handle.jsonValue() : null;
      if (!alertId) return { skip: `no alert fired for scheme ${schemeId} within 30 s (warning policy thresholds not reached by 3 posts)` };
      await p.reload();
      const card = await p.waitForSelector(`.alert-card[data-id="${alertId}"]`);
      await shot(p, `${prefix}-alerts`);
      await (await card.$('.alert-toggle')).click();
      await p.waitForSelector(`.alert-card[data-id="${alertId}"] .deliveries :is(table, .empty, .error-box)`);
      await (await card.$('.alert-ack')).click();
      await p.click('#alert-status-tabs [data-status="all"]');
      await p.waitForSelector(`.alert-card[data-id="${alertId}"][data-status="acked"]`);
    }],
    ['switch to English and back; the choice survives a reload', async () => {
      const p = page();
      await p.goto(`${base}/#/overview`);
      await p.waitForSelector('#lang-switch');
      await p.selectOption('#lang-switch', 'en');
      await p.waitForSelector('.nav-item[data-page="overview"]:has-text("Overview")');
      await p.reload();
      await p.waitForSelector('.nav-item[data-page="feed"]:has-text("Live feed")');
      assert(await p.evaluate(() => document.documentElement.lang) === 'en', 'html lang=en');
      await p.waitForSelector('#chart-trend canvas');
      await shot(p, `${prefix}-overview-en`);
      await p.goto(`${base}/#/schemes/${schemeId}`);
      await p.waitForSelector('#scheme-query');
      await p.fill('#scheme-query', `${marker} OR (`);
      await p.waitForSelector('#scheme-query-error.bad');
      await shot(p, `${prefix}-scheme-error-en`);
      await p.selectOption('#lang-switch', 'zh-CN');
      await p.waitForSelector('.nav-item[data-page="overview"]:has-text("态势")');
    }],
    ['no page errors', async () => {
      const errs = problems.filter((x) => !x.startsWith('dialog'));
      assert(!errs.length, errs.join('\n'));
    }],
  ];
  return { steps, get schemeId() { return schemeId; }, marker };
}
