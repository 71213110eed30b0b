// The analysis views against the real `yuqing serve` on the replayed demo crisis (issue 19): the
// event list and the event page show what the server really sends (titles, an hourly volume
// chart, spreader names, the first poster, the representative post that opens its post page, a
// merged event's link), an alert opens an incident in one click and its evidence opens posts, no
// page ever shows "[object Object]" or a raw field name; and, on a fresh store, the first login
// with the one-time admin password forces the password change and then works.
import { assert, assertEq, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { cli, replayDemo, startServer, unavailable } from './real_server.mjs';

const RAW = /\[object Object\]|first_seen_ms|last_seen_ms|merged_into|hour_ms|author_name|undefined|NaN/;

// document.body.innerText has no "[object Object]", no raw field names, no undefined/NaN.
async function assertClean(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const m = RAW.exec(text);
  assert(!m, `${where}: the page shows "${m && m[0]}": …${m ? text.slice(Math.max(0, m.index - 80), m.index + 40) : ''}…`);
}

async function api(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const me = await fetch('/api/v1/auth/me').then((r) => r.json()).catch(() => ({}));
    const r = await fetch(`/api/v1${p}`, {
      method: m,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    let data = null;
    try { data = await r.json(); } catch { /* empty */ }
    return { status: r.status, data };
  }, [method, path, body]);
}

async function analysisViews() {
  const user = 'analyst-admin';
  const password = `Ana-${Math.random().toString(36).slice(2)}-pw`;
  const server = await startServer((data) => {
    replayDemo(data);
    cli(data, ['user', 'add', user, '--role', 'admin', '--password-stdin'], `${password}\n`);
  });
  const { base } = server;
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    let ev = null; // the biggest event, as the API sends it
    ok = await runSteps(`analysis views on the replayed demo (${base})`, [
      ['log in', async () => {
        await login(page, base, user, password);
        const r = await api(page, 'GET', '/events?limit=100');
        assertEq(r.status, 200, 'GET /events');
        assert(r.data.items.length > 0, 'the demo made events');
        const id = r.data.items.slice().sort((a, b) => b.posts - a.posts)[0].id;
        ev = (await api(page, 'GET', `/events/${id}`)).data;
        assert(Array.isArray(ev.volume) && ev.volume.length > 1, 'the event has an hourly volume');
        assert(ev.spreaders.length > 0 && ev.first_poster.author_name, 'the event has spreaders and a first poster');
      }],
      ['the event list shows titles', async () => {
        await page.goto(`${base}/#/events`);
        await page.waitForSelector('#events-table a.event-link');
        const title = await page.textContent(`#events-table tr[data-id="${ev.id}"] a.event-link`);
        assertEq(title, ev.title, 'the title is the event title');
        const width = await page.$eval(`#events-table tr[data-id="${ev.id}"] a.event-link`, (a) => a.getBoundingClientRect().width);
        assert(width > 200, `the title has room (${width}px)`);
        await assertClean(page, 'event list');
        await shot(page, 'real-events');
      }],
      ['the event page: volume chart, spreaders, first poster, representative post', async () => {
        await page.click(`#events-table tr[data-id="${ev.id}"] a.event-link`);
        await page.waitForSelector('#event-title');
        assertEq(await page.textContent('#event-title'), ev.title, 'event title');
        await page.waitForSelector('#event-volume canvas');
        await page.waitForSelector('#event-sources canvas');
        const names = await page.$$eval('#event-spreaders .spreader-name', (tds) => tds.map((td) => td.textContent));
        assertEq(names[0], ev.spreaders[0].author_name, 'the first spreader by name');
        assertEq(await page.textContent('#event-first-name'), ev.first_poster.author_name, 'the first poster by name');
        await page.waitForSelector(`#event-first .post-card[data-id="${ev.first_poster.post}"]`);
        await page.waitForSelector(`#event-representative .post-card[data-id="${ev.representative_post}"]`);
        await page.waitForSelector('#event-keywords .word');
        await page.waitForSelector('#event-posts .post-card');
        const kpi = await page.textContent('#kpi-posts .kpi-value');
        assert(/\d/.test(kpi), `the post count shows (${kpi})`);
        const first = await page.textContent('#kpi-first-seen .kpi-value');
        assert(/\d{4}\D\d{2}\D\d{2}/.test(first) && !first.includes('T'), `first seen is a readable time (${first})`);
        assert(!(await page.$('#event-merged')), 'a live event is not marked merged');
        // Issue 16: the spread forecast in words, with the API's figures.
        const fc = ev.forecast;
        assert(fc && fc.low <= fc.forecast && fc.forecast <= fc.high && fc.observed <= fc.forecast, `the API's forecast (${JSON.stringify(fc)})`);
        const words = await page.textContent('#event-forecast-words');
        const shown = fc.forecast >= 10000 ? `${(fc.forecast / 10000).toFixed(fc.forecast >= 100000 ? 0 : 1)}万` : String(fc.forecast);
        assert(words.includes(shown), `the forecast figure shows (${words}; expected ${shown})`);
        assert(/\d+%/.test(await page.textContent('#event-forecast-p500')), 'the chance of passing 500 as a percentage');
        await assertClean(page, 'event page');
        await shot(page, 'real-event');
      }],
      ['the representative post opens its post page', async () => {
        await page.click('#event-representative .post-open');
        await page.waitForSelector(`#post-page[data-id="${ev.representative_post}"] .post-card`);
        const post = (await api(page, 'GET', `/posts/${ev.representative_post}`)).data;
        const text = await page.textContent('#post-page .post-text');
        assertEq(text, post.text, 'the whole post text');
        await page.waitForSelector(`#post-page a[href="#/events/${ev.id}"]`);
        await assertClean(page, 'post page');
        await page.goBack();
        await page.waitForSelector('#event-title');
      }],
      ['a merged event says where it went, with a link', async () => {
        // The demo's tracker merges nothing; the server's answer is changed in flight.
        await page.route(`**/api/v1/events/${ev.id}`, async (route) => {
          const res = await route.fetch();
          const body = await res.json();
          await route.fulfill({ response: res, json: { ...body, merged_into: 99 } });
        });
        await page.reload();
        await page.waitForSelector('#event-merged a.merged-link[href="#/events/99"]');
        const note = await page.textContent('#event-merged');
        assertEq(note, '已合并到事件 99', 'the merge note');
        await assertClean(page, 'merged event page');
        await page.unroute(`**/api/v1/events/${ev.id}`);
      }],
      ['an alert: evidence opens its post, the event link opens the event page', async () => {
        await page.goto(`${base}/#/alerts?status=`);
        await page.waitForSelector('#alert-list .alert-card');
        const card = '#alert-list .alert-card:has(a.alert-event)';
        await page.click(`${card} .alert-toggle`);
        await page.waitForSelector(`${card} .evidence .post-card .post-open`);
        await assertClean(page, 'alerts with details');
        await shot(page, 'real-alert');
        const postId = await page.$eval(`${card} .evidence .post-card`, (el) => el.dataset.id);
        await page.click(`${card} .evidence .post-card .post-open`);
        await page.waitForSelector(`#post-page[data-id="${postId}"] .post-card`);
        await page.goBack();
        await page.waitForSelector(`${card} .alert-event`);
        await page.click(`${card} .alert-event`);
        await page.waitForSelector('#event-volume canvas');
        await assertClean(page, 'event page from an alert');
      }],
      ['开启处置 opens an incident from the alert', async () => {
        await page.goto(`${base}/#/alerts?status=`);
        await page.waitForSelector('#alert-list .alert-card .alert-open-incident');
        const alertId = await page.$eval('#alert-list .alert-card:has(.alert-open-incident)', (el) => el.dataset.id);
        assertEq(await page.textContent(`#alert-list .alert-card[data-id="${alertId}"] .alert-open-incident`), '开启处置', 'the button');
        await page.click(`#alert-list .alert-card[data-id="${alertId}"] .alert-open-incident`);
        await page.waitForSelector('#incident-page #incident-tasks tr');
        const incidentId = await page.$eval('#incident-page', (el) => el.dataset.id);
        const inc = (await api(page, 'GET', `/incidents/${incidentId}`)).data;
        assertEq(String(inc.alert_id), alertId, 'the incident is opened from that alert');
        await assertClean(page, 'incident page');
        // The incident links its event (from the alert's evidence) to the event page.
        await page.click('#incident-links a[data-kind="event"]');
        await page.waitForSelector('#event-volume canvas');
        // Back on the alert, the button became a link to the incident (no second incident).
        await page.goto(`${base}/#/alerts?status=`);
        await page.waitForSelector(`#alert-list .alert-card[data-id="${alertId}"] a.alert-incident[href="#/incidents/${incidentId}"]`);
        assert(!(await page.$(`#alert-list .alert-card[data-id="${alertId}"] .alert-open-incident`)), 'no second 开启处置');
      }],
      ['no "[object Object]" on any page, in Chinese and in English', async () => {
        for (const lang of ['zh-CN', 'en']) {
          await page.evaluate((l) => localStorage.setItem('yuqing.lang', l), lang);
          for (const [route, sel] of [['overview', '#overview-events'], ['feed', '#feed-list .post-card'], ['alerts?status=', '#alert-list .alert-card'],
            ['events', '#events-table'], [`events/${ev.id}`, '#event-volume canvas'], ['incidents', '#incident-list table'],
            [`posts/${ev.first_poster.post}`, '#post-page .post-card'], ['schemes', 'main']]) {
            await page.goto(`${base}/#/${route}`);
            await page.reload();
            await page.waitForSelector(sel);
            await page.waitForLoadState('networkidle').catch(() => {});
            await assertClean(page, `${lang} #/${route}`);
          }
        }
        await page.evaluate(() => localStorage.setItem('yuqing.lang', 'zh-CN'));
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
    ]);
    if (!ok) await shot(page, 'analysis-failure').catch(() => {});
  } finally {
    await browser.close();
    if (!ok) console.log(`--- serve output (tail) ---\n${server.output().slice(-2000)}`);
    await server.stop();
  }
  return ok;
}

async function firstLogin() {
  const server = await startServer();
  const { base } = server;
  const m = /一次性密码[:：]\s*(\S+)|one-time password[^:]*:\s*(\S+)/i.exec(server.output());
  if (!m) {
    await server.stop();
    throw new Error(`no one-time admin password in serve's output:\n${server.output().slice(-1500)}`);
  }
  const oneTime = m[1] || m[2];
  const fresh = `新密码-${Math.random().toString(36).slice(2)}`;
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    ok = await runSteps(`first login with the one-time admin password (${base})`, [
      ['the one-time password leads to the change form, and nothing else works yet', async () => {
        await page.goto(`${base}/#/overview`);
        await page.fill('#login-username', 'admin');
        await page.fill('#login-password', oneTime);
        await page.click('#login-submit');
        await page.waitForSelector('#pw-change #pw-new');
        assert(!(await page.$('#pw-current')), 'the password just typed is not asked again');
        const hint = await page.textContent('#pw-change');
        assert(hint.includes('修改密码'), `Chinese first (${hint.slice(0, 80)})`);
        assert(!(await page.$('.topbar')), 'no dashboard before the change');
        const r = await api(page, 'GET', '/overview');
        assertEq(r.status, 403, 'the API refuses other routes');
        await shot(page, 'password-change');
      }],
      ['errors show clearly: too short, mismatch', async () => {
        await page.fill('#pw-new', 'short');
        await page.fill('#pw-confirm', 'short');
        await page.click('#pw-submit');
        await page.waitForSelector('#pw-error:not([hidden])');
        assert((await page.textContent('#pw-error')).includes('太短'), 'too short');
        await page.fill('#pw-new', fresh);
        await page.fill('#pw-confirm', `${fresh}x`);
        await page.click('#pw-submit');
        await page.waitForFunction(() => document.querySelector('#pw-error')?.textContent.includes('不一致'));
      }],
      ['after a reload the form asks for the current password; a wrong one is refused', async () => {
        await page.reload();
        await page.waitForSelector('#pw-change #pw-current');
        await page.fill('#pw-current', 'not-the-password');
        await page.fill('#pw-new', fresh);
        await page.fill('#pw-confirm', fresh);
        await page.click('#pw-submit');
        await page.waitForFunction(() => document.querySelector('#pw-error:not([hidden])')?.textContent.includes('当前密码不正确'));
      }],
      ['the change succeeds and continues to the overview', async () => {
        await page.fill('#pw-current', oneTime);
        await page.click('#pw-submit');
        await page.waitForSelector('.topbar #user-name');
        await page.waitForSelector('#overview-events');
        assert(page.url().endsWith('#/overview'), `on the overview (${page.url()})`);
        const r = await api(page, 'GET', '/overview');
        assertEq(r.status, 200, 'the API answers now');
      }],
      ['log out; the new password works, the one-time one no longer does', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-username');
        await page.fill('#login-username', 'admin');
        await page.fill('#login-password', oneTime);
        await page.click('#login-submit');
        await page.waitForSelector('#login-error:not([hidden])');
        await login(page, base, 'admin', fresh);
        assert(!(await page.$('#pw-change')), 'no change form the second time');
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
    ]);
    if (!ok) await shot(page, 'first-login-failure').catch(() => {});
  } finally {
    await browser.close();
    if (!ok) console.log(`--- serve output (tail) ---\n${server.output().slice(-2000)}`);
    await server.stop();
  }
  return ok;
}

export async function runAnalysisE2e() {
  console.log('\n# e2e: events, alerts and the first login on the real server');
  const why = unavailable();
  if (why) { console.log(`  - SKIP: ${why}`); return true; }
  let ok = true;
  for (const run of [analysisViews, firstLogin]) {
    try {
      ok = (await run()) && ok;
    } catch (e) {
      console.log(`  ✗ ${e.message}`);
      ok = false;
    }
  }
  return ok;
}

if (process.argv[1] && process.argv[1].endsWith('analysis_e2e.mjs')) process.exit((await runAnalysisE2e()) ? 0 : 1);
