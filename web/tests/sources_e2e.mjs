// 数据源 against the real `yuqing serve`: a loopback feed this test serves (an RSSHub-like item
// with HTML) is added from the page by an admin; the scheduler fetches it and the row shows the
// last success and the posts of the last hour; the detail shows the hourly chart and the fetch
// log; a failing feed shows its error; pause/resume/remove work; a bad URL is reported next to
// its field; a source named like markup stays text; a viewer sees the list without the controls;
// English. Waits poll the page, nothing sleeps.
import http from 'node:http';
import { assert, assertEq, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { cli, startServer, unavailable } from './real_server.mjs';

const RAW = /\[object Object\]|undefined|NaN/;

function feedServer() {
  const state = { status: 200, body: '' };
  const srv = http.createServer((req, res) => {
    if (state.status !== 200) { res.writeHead(state.status); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: `"${state.body.length}"` });
    res.end(state.body);
  });
  state.body = `<?xml version="1.0"?><rss version="2.0"><channel><title>东湖发布</title>
    <item><guid>w1</guid><title>东湖区停水通知</title><link>https://weibo.com/1/w1</link>
    <description><![CDATA[东湖区<b>明日</b>停水<br><img src="https://wx1.sinaimg.cn/large/a.jpg">]]></description>
    <pubDate>Mon, 01 Jun 2026 09:00:00 +0800</pubDate></item>
    <item><guid>w2</guid><title>恢复供水</title><link>https://weibo.com/1/w2</link>
    <description>已恢复供水</description><pubDate>Mon, 01 Jun 2026 18:00:00 +0800</pubDate></item></channel></rss>`;
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${srv.address().port}/weibo/user/1`,
    state,
    close: () => new Promise((r) => srv.close(r)),
  })));
}

async function assertClean(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const m = RAW.exec(text);
  assert(!m, `${where}: the page shows "${m && m[0]}"`);
}

async function sourcesFlow() {
  const password = `Src-${Math.random().toString(36).slice(2)}-pw`;
  const feed = await feedServer();
  const server = await startServer((data) => {
    cli(data, ['user', 'add', 'src-admin', '--role', 'admin', '--password-stdin'], `${password}\n`);
    cli(data, ['user', 'add', 'src-viewer', '--role', 'viewer', '--password-stdin'], `${password}\n`);
  });
  const { base } = server;
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    const evil = '<img src=x onerror=alert(1)>源';
    ok = await runSteps(`数据源 on the real server (${base})`, [
      ['an admin opens 数据源: empty, with the add form', async () => {
        await login(page, base, 'src-admin', password);
        await page.click('.sidenav a[data-page="sources"]');
        await page.waitForSelector('#source-form');
        assert((await page.textContent('main')).includes('还没有数据源'), 'empty state in Chinese');
      }],
      ['a bad URL is reported next to its field', async () => {
        await page.fill('#source-url', 'ftp://example.org/feed');
        await page.click('#source-save');
        await page.waitForSelector('#source-form .field-msg.bad[data-for="url"]');
      }],
      ['page and mailbox sources show their fields; what is missing is reported next to it', async () => {
        await page.selectOption('#source-kind', 'page');
        await page.waitForSelector('#source-selectors:not([hidden])');
        await page.fill('#source-url', 'https://liuyan.example.gov.cn/board/list.html');
        await page.fill('#source-title', 'a');
        await page.fill('#source-link', 'a');
        await page.click('#source-save');
        await page.waitForSelector('#source-form .field-msg.bad[data-for="item"]');
        await page.fill('#source-item', 'li:first-child');
        await page.click('#source-save');
        await page.waitForFunction(() => /column/.test(document.querySelector('#source-form .field-msg.bad[data-for="item"]')?.textContent || ''));
        await page.selectOption('#source-kind', 'imap');
        await page.waitForSelector('#source-mailbox:not([hidden])');
        await page.fill('#source-url', 'imaps://127.0.0.1:1/INBOX');
        await page.fill('#source-user', 'hotline');
        await page.click('#source-save');
        await page.waitForSelector('#source-form .field-msg.bad[data-for="password_env"]');
        await page.selectOption('#source-kind', 'feed');
        await page.waitForSelector('#source-selectors[hidden]', { state: 'attached' });
        await page.waitForSelector('#source-mailbox[hidden]', { state: 'attached' });
      }],
      ['add the feed every 1s; the scheduler fetches it into the row', async () => {
        await page.fill('#source-url', feed.url);
        await page.fill('#source-name', '东湖发布');
        await page.fill('#source-every', '1s');
        await page.click('#source-save');
        await page.waitForSelector('#sources-table tr[data-name="东湖发布"]');
        await page.waitForFunction(() => {
          const rate = document.querySelector('#sources-table tr[data-name="东湖发布"] .source-rate');
          return rate && rate.textContent.startsWith('2 /');
        }, null, { timeout: 30000, polling: 200 }).catch(async () => {
          // the page refreshes every 15 s; a reload reads it at once
          await page.reload();
          await page.waitForFunction(() => document.querySelector('#sources-table tr[data-name="东湖发布"] .source-rate')?.textContent.startsWith('2 /'), null, { timeout: 30000 });
        });
        const row = await page.textContent('#sources-table tr[data-name="东湖发布"]');
        assert(row.includes('运行中') && row.includes('1s') && row.includes('订阅源'), `row: ${row}`);
        assert(!(await page.textContent('#sources-table tr[data-name="东湖发布"] .source-success')).includes('—'), 'last success shown');
      }],
      ['the detail: hourly chart and the fetch log', async () => {
        await page.click('#sources-table tr[data-name="东湖发布"] a.source-name');
        await page.waitForSelector('#source-detail #source-chart canvas');
        await page.waitForSelector('#source-fetches tbody tr');
        const log = await page.textContent('#source-fetches');
        assert(log.includes('成功'), `fetch log: ${log}`);
        await shot(page, 'sources');
      }],
      ['a failing feed shows its error', async () => {
        feed.state.status = 503;
        await until(page, async () => {
          await page.reload();
          await page.waitForSelector('#sources-table');
          return (await page.textContent('#sources-table tr[data-name="东湖发布"] .source-error')).includes('HTTP 503');
        }, 30000, 'the error in the row');
        assert((await page.textContent('#sources-table tr[data-name="东湖发布"] .source-status')).includes('抓取出错'), 'status 抓取出错');
        feed.state.status = 200;
      }],
      ['pause and resume', async () => {
        await page.click('#sources-table tr[data-name="东湖发布"] .source-pause');
        await page.waitForSelector('#sources-table tr[data-name="东湖发布"] .source-resume');
        assert((await page.textContent('#sources-table tr[data-name="东湖发布"] .source-status')).includes('已暂停'), 'paused');
        await page.click('#sources-table tr[data-name="东湖发布"] .source-resume');
        await page.waitForSelector('#sources-table tr[data-name="东湖发布"] .source-pause');
      }],
      ['a source named like markup stays text; remove asks once more', async () => {
        await page.fill('#source-url', `${feed.url}?2`);
        await page.fill('#source-name', evil);
        await page.fill('#source-every', '1h');
        await page.click('#source-save');
        await page.waitForFunction((n) => [...document.querySelectorAll('#sources-table tr')].some((tr) => tr.dataset.name === n), evil);
        assertEq(await page.locator('#sources-table img').count(), 0, 'no <img> from a name');
        const sel = `#sources-table tr[data-name="${evil.replace(/"/g, '\\"')}"] .source-remove`;
        await page.click(sel);
        await page.click(sel);
        await page.waitForFunction((n) => ![...document.querySelectorAll('#sources-table tr')].some((tr) => tr.dataset.name === n), evil);
      }],
      ['English', async () => {
        await page.selectOption('#lang-switch', 'en');
        await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Sources');
        await page.waitForSelector('#sources-table');
        await assertClean(page, 'sources in English');
        await page.selectOption('#lang-switch', 'zh-CN');
        await page.waitForFunction(() => document.querySelector('main h1')?.textContent === '数据源');
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
      ['a viewer sees the list without the controls', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-username');
        await login(page, base, 'src-viewer', password);
        await page.goto(`${base}/#/sources`);
        await page.waitForSelector('#sources-table tr[data-name="东湖发布"]');
        assertEq(await page.locator('#source-form').count(), 0, 'no add form');
        assertEq(await page.locator('#sources-table .source-pause, #sources-table .source-remove').count(), 0, 'no controls');
      }],
    ]);
    if (!ok) await shot(page, 'sources-failure').catch(() => {});
  } finally {
    await browser.close();
    await feed.close();
    if (!ok) console.log(`--- serve output (tail) ---\n${server.output().slice(-2000)}`);
    await server.stop();
  }
  return ok;
}

async function until(page, check, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(300);
  }
}

export async function runSourcesE2e() {
  console.log('\n# sources: real yuqing serve');
  const why = unavailable();
  if (why) {
    console.log(`  - SKIP: ${why}`);
    return true;
  }
  try {
    return await sourcesFlow();
  } catch (e) {
    console.log(`  ✗ ${e.stack || e}`);
    return false;
  }
}

if (process.argv[1] && process.argv[1].endsWith('sources_e2e.mjs')) process.exit((await runSourcesE2e()) ? 0 : 1);
