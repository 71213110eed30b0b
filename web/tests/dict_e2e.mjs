// 词典 against the real `yuqing serve` (issue 18): posts naming a made-up brand the default
// segmentation splits are stored; an analyst adds the brand on the 词典 page; the running server
// takes the new dictionary at once and rebuilds the full-text index in the background until the
// page says it is current (an admin here; analysts may change it too); the feed then finds the stored posts by the whole word, no longer by a
// piece of it, and a post ingested afterwards too. A word that looks like markup stays text;
// a word too long is refused next to the field; remove asks once more; English; a viewer sees the
// words without the controls. Waits poll the page, nothing sleeps.
import fs from 'node:fs';
import path from 'node:path';
import { assert, assertEq, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { cli, startServer, unavailable } from './real_server.mjs';
import { apiCall } from './scenario.mjs';

const BRAND = '蓝鲸智饮';
const PIECE = '智饮';  // what the default segmentation cuts off the brand (checked below)
const POSTS = 100000;  // enough for a rebuild of a few seconds, whose progress the page shows

function writePosts(data) {
  const file = path.join(data, 'posts.jsonl');
  const lines = [];
  for (let i = 0; i < POSTS; i += 1) {
    const text = i % 5 === 0 ? `今天试了${BRAND}的新品，第${i}瓶，味道一般` : `东湖区明日停水，请居民提前储水，第${i}条通知`;
    lines.push(JSON.stringify({ id: `d${i}`, source: 'weibo', text, published_at: new Date(Date.now() - (POSTS - i) * 60e3).toISOString() }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// Posts the search API finds for a query (the feed's own call).
async function found(page, q) {
  const r = await apiCall(page, 'GET', `/posts?q=${encodeURIComponent(q)}&limit=100`);
  assert(r.status === 200, `search ${q}: ${r.status} ${JSON.stringify(r.data)}`);
  return r.data.items.length;
}

async function dictFlow() {
  const password = `Dict-${Math.random().toString(36).slice(2)}-pw`;
  const server = await startServer((data) => {
    cli(data, ['ingest', writePosts(data)]);
    cli(data, ['user', 'add', 'dict-admin', '--role', 'admin', '--password-stdin'], `${password}\n`);
    cli(data, ['user', 'add', 'dict-analyst', '--role', 'analyst', '--password-stdin'], `${password}\n`);
    cli(data, ['user', 'add', 'dict-viewer', '--role', 'viewer', '--password-stdin'], `${password}\n`);
  });
  const { base } = server;
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    const evil = '<script>粗体';
    ok = await runSteps(`词典 on the real server (${base})`, [
      ['an admin opens 词典: no words, the index current', async () => {
        await login(page, base, 'dict-admin', password);
        await page.click('.sidenav a[data-page="dict"]');
        await page.waitForSelector('#dict-form');
        await page.waitForSelector('.dict-status[data-state="current"]');
        assert((await page.textContent('main')).includes('还没有用户词'), 'empty state in Chinese');
      }],
      ['before: the default segmentation splits the brand, so a piece of it finds the posts', async () => {
        assertEq(await found(page, PIECE), 100, `"${PIECE}" finds the brand's posts (a page of 100)`);
      }],
      ['add the brand on the page; the index is rebuilt in the background until current', async () => {
        await page.fill('#dict-input', `${BRAND}\n`);
        await page.click('#dict-save');
        await page.waitForSelector(`#dict-table tr[data-word="${BRAND}"]`);
        await page.waitForFunction(() => {
          const now = Number(document.querySelector('.dict-status[data-state="rebuilding"] ~ [role="progressbar"]')?.getAttribute('aria-valuenow'));
          return now > 0 && now < 100;
        }, null, { timeout: 60000, polling: 50 });
        const line = await page.textContent('#dict-index');
        assert(/正在重建 \S+ \/ 10万 条（\d+%）/.test(line), `progress in words: ${line}`);
        await shot(page, 'dict-rebuilding');
        await page.waitForSelector('.dict-status[data-state="current"]', { timeout: 60000 });
        assertEq(await page.getAttribute('#dict-index [role="progressbar"]', 'aria-valuenow'), '100', 'the progress bar at 100');
        const r = await apiCall(page, 'GET', '/dict');
        assert(r.data.index.current && r.data.index.version !== '' && r.data.index.index_version === r.data.index.version,
          `index built with the new dictionary: ${JSON.stringify(r.data.index)}`);
        assertEq(r.data.index.total, POSTS, 'every stored post re-indexed');
        assertEq(r.data.index.done, POSTS, 'every stored post re-indexed');
        await shot(page, 'dict');
      }],
      ['the feed finds the stored posts by the whole word, no longer by a piece of it', async () => {
        await page.goto(`${base}/#/feed?q=${encodeURIComponent(BRAND)}`);
        await page.waitForFunction((b) => [...document.querySelectorAll('#feed-list .post-card')].some((c) => c.textContent.includes(b)), BRAND, { timeout: 15000 });
        // (Every one of them is counted by tests/integration/dict_serve_test.py; here a page of them.)
        const r = await apiCall(page, 'GET', `/posts?q=${encodeURIComponent(BRAND)}&limit=100`);
        assert(r.data.items.length === 100 && r.data.items.every((p) => p.text.includes(BRAND)) && r.data.next_cursor,
          `a full page of posts naming ${BRAND}, and more`);
        assertEq(await found(page, PIECE), 0, `"${PIECE}" is no longer a word of those posts`);
      }],
      ['a post ingested afterwards is cut with the new dictionary at once', async () => {
        const r = await apiCall(page, 'POST', '/posts', [{ id: 'after-1', source: 'weibo', text: `${BRAND}新店开业，排队两小时`, published_at: new Date().toISOString() }]);
        assert(r.status < 300, `ingest ${r.status} ${JSON.stringify(r.data)}`);
        const hits = await apiCall(page, 'GET', `/posts?q=${encodeURIComponent(`${BRAND} 排队`)}`);
        assertEq(hits.data.items.map((p) => p.id).join(','), 'after-1', 'the new post found by the word');
        assertEq(await found(page, PIECE), 0, 'and not by the piece');
      }],
      ['a word like markup stays text; a word too long is refused next to the field; remove asks once more', async () => {
        await page.goto(`${base}/#/dict`);
        await page.waitForSelector('#dict-form');
        await page.fill('#dict-input', evil);
        await page.click('#dict-save');
        await page.waitForFunction((w) => [...document.querySelectorAll('#dict-table tr')].some((tr) => tr.dataset.word === w), evil);
        assertEq(await page.locator('#dict-table script').count(), 0, 'no <script> from a word');
        await page.fill('#dict-input', 'a/b');
        await page.click('#dict-save');
        await page.waitForSelector('#dict-form .field-msg.bad[data-for="words"]');
        await page.fill('#dict-input', '长'.repeat(30));
        await page.click('#dict-save');
        await page.waitForSelector('#dict-form .field-msg.bad[data-for="words"]');
        const sel = `#dict-table tr[data-word="${evil.replace(/"/g, '\\"')}"] .dict-remove`;
        await page.click(sel);
        await page.click(sel);
        await page.waitForFunction((w) => ![...document.querySelectorAll('#dict-table tr')].some((tr) => tr.dataset.word === w), evil);
        await page.waitForSelector('.dict-status[data-state="current"]', { timeout: 60000 });
      }],
      ['English', async () => {
        await page.selectOption('#lang-switch', 'en');
        await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Dictionary');
        await page.waitForSelector('.dict-status[data-state="current"]');
        const text = await page.evaluate(() => document.querySelector('main').innerText);
        assert(text.includes('Built with the current dictionary') && !/undefined|NaN|\[object Object\]/.test(text), `English page: ${text.slice(0, 300)}`);
        await page.selectOption('#lang-switch', 'zh-CN');
        await page.waitForFunction(() => document.querySelector('main h1')?.textContent === '词典');
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
      ['an analyst may change the dictionary too', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-username');
        await login(page, base, 'dict-analyst', password);
        await page.goto(`${base}/#/dict`);
        await page.waitForSelector('#dict-form');
        assertEq((await apiCall(page, 'POST', '/dict', { words: ['分析员词'] })).status, 201, 'an analyst adds');
        assertEq((await apiCall(page, 'DELETE', `/dict/${encodeURIComponent('分析员词')}`)).status, 200, 'an analyst removes');
      }],
      ['a viewer sees the words without the controls', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-username');
        await login(page, base, 'dict-viewer', password);
        await page.goto(`${base}/#/dict`);
        await page.waitForSelector(`#dict-table tr[data-word="${BRAND}"]`);
        assertEq(await page.locator('#dict-form').count(), 0, 'no add form');
        assertEq(await page.locator('#dict-table .dict-remove').count(), 0, 'no remove buttons');
        const r = await apiCall(page, 'POST', '/dict', { words: ['查看者'] });
        assertEq(r.status, 403, 'a viewer cannot add');
      }],
    ]);
    if (!ok) await shot(page, 'dict-failure').catch(() => {});
  } finally {
    await browser.close();
    if (!ok) console.log(`--- serve output (tail) ---\n${server.output().slice(-2000)}`);
    await server.stop();
  }
  return ok;
}

export async function runDictE2e() {
  console.log('\n# dict: real yuqing serve');
  const why = unavailable();
  if (why) {
    console.log(`  - SKIP: ${why}`);
    return true;
  }
  try {
    return await dictFlow();
  } catch (e) {
    console.log(`  ✗ ${e.stack || e}`);
    return false;
  }
}

if (process.argv[1] && process.argv[1].endsWith('dict_e2e.mjs')) process.exit((await runDictE2e()) ? 0 : 1);
