// Browser tests against the in-memory mock API (web/tests/mock_server.mjs): the shared journey
// plus what needs controlled data (infinite scroll, filters, corrections, the event page, roles,
// session expiry) and screenshots of every page on a laptop and a phone.
import { startMock } from './mock_server.mjs';
import { launch, watchPage, shot, login, runSteps, assert, assertEq, VIEWPORTS, ARTIFACTS } from './lib.mjs';
import { journey, XSS_TEXT } from './scenario.mjs';

export async function runUi() {
  const mock = await startMock();
  const base = mock.url;
  let ok = true;
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    journey.page = page;
    const j = journey({ base, user: 'admin', password: 'admin-pass', prefix: 'mock', problems });
    ok = await runSteps(`mock API at ${base}: the user journey`, j.steps) && ok;

    ok = await runSteps('mock: feed, events, alerts, roles', [
      ['unauthenticated visit goes to login, then back to the page asked for', async () => {
        const ctx2 = await launch();
        try {
          const p = await ctx2.context.newPage();
          await p.goto(`${base}/#/alerts`);
          await p.waitForSelector('#login-username');
          await p.fill('#login-username', 'admin');
          await p.fill('#login-password', 'admin-pass');
          await p.click('#login-submit');
          await p.waitForSelector('#alert-list');
          assertEq(await p.evaluate(() => location.hash), '#/alerts', 'back to the page asked for');
        } finally { await ctx2.close(); }
      }],
      ['feed: infinite scroll loads the next page by cursor', async () => {
        await page.goto(`${base}/#/feed`);
        await page.reload();
        await page.waitForSelector('#feed-list .post-card');
        const first = await page.$$eval('#feed-list .post-card', (x) => x.length);
        await shot(page, 'mock-feed-top');
        await page.evaluate(() => document.getElementById('feed-sentinel').scrollIntoView());
        await page.waitForFunction((n) => document.querySelectorAll('#feed-list .post-card').length > n, first);
        const ids = await page.$$eval('#feed-list .post-card', (x) => x.map((c) => c.dataset.id));
        assertEq(new Set(ids).size, ids.length, 'no duplicates across pages');
      }],
      ['feed: sentiment filter, kept in the URL', async () => {
        await page.goto(`${base}/#/feed?sentiment=negative`);
        await page.reload();
        await page.waitForSelector('#feed-list .post-card');
        const s = await page.$$eval('#feed-list .post-card', (x) => [...new Set(x.map((c) => c.dataset.sentiment))]);
        assertEq(s.join(), 'negative', 'only negative posts');
        await page.selectOption('#filter-source', 'hotline');
        await page.waitForFunction(() => location.hash.includes('source=hotline'));
        await page.waitForFunction(() => [...document.querySelectorAll('#feed-list .post-card .source')].every((e) => e.textContent.includes('热线')) && document.querySelector('#feed-list .post-card'));
      }],
      ['feed: mark sentiment wrong sends the correction', async () => {
        await page.goto(`${base}/#/feed?sentiment=negative`);
        await page.reload();
        const card = await page.waitForSelector('#feed-list .post-card');
        const id = await card.getAttribute('data-id');
        await (await card.$('.mark-wrong')).click();
        await (await card.$('button[data-label="neutral"]')).click();
        await page.waitForSelector(`#feed-list .post-card[data-id="${id}"] .thanks`);
        assert(mock.corrections.some((c) => c.id === id && c.to === 'neutral'), 'the mock received the correction');
        await shot(page, 'mock-feed-corrected');
      }],
      ['feed: live post with a query uses a filtered stream', async () => {
        // The mock reports each stream connection with its filter.
        const connected = new Promise((resolve) => mock.events.on('stream', (f) => { if (f.q === '地铁') resolve(); }));
        await page.goto(`${base}/#/feed?q=${encodeURIComponent('地铁')}`);
        await page.reload();
        await page.waitForSelector('#feed-list .post-card');
        await page.evaluate(() => window.scrollTo(0, 0));
        await connected;
        const r1 = mock.addPost({ id: 'live-nomatch', source: 'weibo', text: '与查询无关的一条信息' });
        const r2 = mock.addPost({ id: 'live-match', source: 'weibo', text: '地铁2号线今天又故障了，太差' });
        for (const r of [r1, r2]) mock.broadcast('post', r.post);
        await page.waitForSelector('#feed-list .post-card[data-id="live-match"]');
        assert(!(await page.$('#feed-list .post-card[data-id="live-nomatch"]')), 'the non-matching post stays out');
      }],
      ['alerts: levels coloured, evidence and delivery log', async () => {
        await page.goto(`${base}/#/alerts?status=`);
        await page.reload();
        await page.waitForSelector('.alert-card');
        const levels = await page.$$eval('.alert-card', (x) => x.map((c) => c.dataset.level));
        const rank = { I: 0, II: 1, III: 2, IV: 3 };
        assert(levels.every((l, i) => i === 0 || rank[levels[i - 1]] <= rank[l]), `sorted by level: ${levels}`);
        const card = await page.$('.alert-card');
        await (await card.$('.alert-toggle')).click();
        await page.waitForSelector('.alert-card .deliveries table');
        await page.waitForSelector('.alert-card .evidence .post-card');
        await shot(page, 'mock-alerts-details');
      }],
      ['a viewer cannot edit schemes or act on alerts', async () => {
        const b2 = await launch();
        try {
          const p = await b2.context.newPage();
          await login(p, base, 'viewer', 'viewer-pass');
          await p.goto(`${base}/#/schemes/1`);
          await p.waitForSelector('#scheme-query');
          assert(!(await p.$('#scheme-save')), 'no save button for a viewer');
          assert(!(await p.$('#scheme-new')), 'no new button for a viewer');
          assert(await p.$eval('#scheme-query', (e) => e.disabled), 'query read-only');
          await p.goto(`${base}/#/alerts`);
          await p.waitForSelector('.alert-card, .empty');
          assert(!(await p.$('.alert-ack')), 'no acknowledge button for a viewer');
        } finally { await b2.close(); }
      }],
      ['logout returns to the login page and the API refuses', async () => {
        await page.goto(`${base}/#/overview`);
        await page.waitForSelector('#logout');
        await page.click('#logout');
        await page.waitForSelector('#login-username');
        const status = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
        assertEq(status, 401, 'session ended');
      }],
    ]) && ok;

    ok = await runSteps('mock: phone screenshots', [
      ['every page on a 390×844 phone', async () => {
        const phone = await launch({ viewport: VIEWPORTS.phone, isMobile: true });
        try {
          const p = await phone.context.newPage();
          const probs = watchPage(p);
          await login(p, base, 'admin', 'admin-pass');
          const pages = [['overview', '#chart-trend canvas'], ['feed', '#feed-list .post-card'], ['alerts', '#alert-list > *'],
            ['events/1', '#event-title'], ['schemes/1', '#scheme-query']];
          for (const [route, sel] of pages) {
            await p.goto(`${base}/#/${route}`);
            await p.waitForSelector(sel);
            const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert(overflow <= 1, `${route}: no horizontal overflow on a phone (${overflow}px)`);
            await p.screenshot({ path: `${ARTIFACTS}/phone-${route.replace('/', '-')}.png` });
          }
          await p.goto(`${base}/#/feed`);
          await p.waitForSelector(`#feed-list .post-card:has-text("${XSS_TEXT.slice(0, 8)}")`);
          assert(!probs.length, probs.join('\n'));
        } finally { await phone.close(); }
      }],
    ]) && ok;
  } finally {
    await browser.close();
    await mock.close();
  }
  return ok;
}

if (process.argv[1] && process.argv[1].endsWith('ui.mjs')) process.exit((await runUi()) ? 0 : 1);
