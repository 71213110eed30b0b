// Crisis response in the browser against the real `yuqing serve` (issue 9): the demo crisis is
// replayed into a temporary store, then the dashboard walks the press officer's path — open the
// incident from its alert, see its deadlines (already missed: the stream lies in the past, so the
// countdowns show overdue), acknowledge and start responding, draft a statement whose findings
// show inline at their sentences, fix it, approve and publish it with a dated promise, mark the
// promise kept, close, and read the evaluation and the timeline. Skips, saying why, when the
// binary has no incident endpoints yet.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, WEB, assert, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { apiCall } from './scenario.mjs';
import { BIN, cli, freePort, until } from './real_server.mjs';

const GOOD = '今天上午，东湖区部分小区居民反映自来水发黄、有异味。经东湖市自来水公司与市疾控中心联合取样检测，'
  + '原因是二号加压站检修后管道冲洗不彻底。目前已完成管网冲洗，各项指标符合国家标准。就诊的12名居民均为轻度肠胃不适，'
  + '已全部离院。给大家带来的不便和担忧，我们深表歉意。市卫健委已牵头调查，我们将在3日内公布全部检测数据。';
const BAD = '网传消息纯属谣言，无可奉告。请广大市民不信谣不传谣，否则依法追究责任！';
const XSS = '<img src=x onerror=alert(1)>';

export async function runIncidentE2e() {
  console.log('\n# e2e: crisis response in the dashboard');
  if (!fs.existsSync(BIN)) { console.log(`  - SKIP: ${BIN} not built`); return true; }
  const help = spawnSync(BIN, ['incidents', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) { console.log(`  - SKIP: ${BIN} has no incidents commands`); return true; }
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'yuqing-incident-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const user = 'press-officer';
  const password = `Inc-${Math.random().toString(36).slice(2)}-pw`;
  let proc = null;
  let exited = null;
  const out = [];
  let browser = null;
  let ok = false;
  try {
    const stream = path.join(data, 'demo.jsonl');
    const gen = spawnSync('python3', [path.join(ROOT, 'scripts', 'gen_demo.py'), stream], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`gen_demo.py: ${gen.stderr}`);
    cli(data, ['topics', 'import', path.join(ROOT, 'scripts', 'demo', 'schemes.yaml')]);
    cli(data, ['replay', stream, '--speed', 'max']);
    cli(data, ['departments', 'add', '新闻中心']);
    cli(data, ['user', 'add', user, '--role', 'admin', '--password-stdin'], `${password}\n`);
    proc = spawn(BIN, ['--data', data, 'serve', '--listen', `127.0.0.1:${port}`, '--web', WEB], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.on('data', (d) => out.push(d.toString()));
    proc.stderr.on('data', (d) => out.push(d.toString()));
    proc.on('exit', (code, sig) => { exited = { code, sig }; });
    await until(async () => {
      if (exited) throw new Error(`serve exited: ${out.join('')}`);
      return (await fetch(`${base}/healthz`)).ok;
    }, 30000, 'healthz');

    browser = await launch();
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    let incidentId = null;
    const steps = [
      ['log in and open the incidents page', async () => {
        await login(page, base, user, password);
        await page.goto(`${base}/#/incidents`);
        await page.waitForSelector('#incident-open #open-alert option[value]:not([value=""])', { state: 'attached' });
        await page.waitForSelector('#incident-list .empty, #incident-list table');
      }],
      ['open the incident from its alert', async () => {
        const value = await page.$eval('#open-alert option[value]:not([value=""])', (o) => o.value);
        await page.selectOption('#open-alert', value);
        await page.fill('#open-commander', user);
        await page.fill('#open-spokesperson', '李明');
        await page.click('#open-submit');
        await page.waitForSelector('#incident-page #incident-tasks tr');
        incidentId = await page.$eval('#incident-page', (el) => el.dataset.id);
        const team = await page.textContent('#incident-team');
        assert(team.includes('李明'), `team shows the spokesperson (${team})`);
      }],
      ['deadlines count down; the missed ones show overdue', async () => {
        await page.waitForSelector('#incident-tasks tr[data-overdue="true"] .countdown.late');
        const before = await page.textContent('#incident-tasks tr[data-overdue="true"] .countdown.late');
        assert(/逾期/.test(before), `overdue countdown (${before})`);
        await shot(page, 'incident-tasks');
      }],
      ['acknowledge and start responding', async () => {
        await page.click('#incident-next');
        await page.waitForFunction(() => document.querySelector('#incident-state')?.textContent.includes('已确认'));
        await page.click('#incident-next');
        await page.waitForFunction(() => document.querySelector('#incident-state')?.textContent.includes('处置中'));
      }],
      ['a bad draft shows its findings inline at the sentences', async () => {
        await page.fill('#stmt-body', BAD);
        await page.click('#stmt-check');
        await page.waitForSelector('#stmt-preview .stmt-sentence.has-error');
        await page.waitForSelector('#stmt-preview .finding-list li.error');
        const status = await page.$eval('#stmt-status', (el) => el.dataset.ok);
        assert(status === 'false', 'the check fails');
        await shot(page, 'incident-statement-findings');
      }],
      ['the fixed draft passes, is saved, approved and published with its promise', async () => {
        await page.fill('#stmt-body', GOOD);
        await page.click('#stmt-check');
        await page.waitForSelector('#stmt-status[data-ok="true"]');
        await page.waitForSelector('#stmt-commitments');
        await page.selectOption('#stmt-kind', 'authoritative');
        await page.click('#stmt-save');
        await page.waitForSelector('.stmt-row[data-state="draft"] .stmt-approve');
        // A reviewer comments on the second sentence; the draft is revised; the new version shows its diff.
        await page.click('.stmt-row[data-state="draft"] .stmt-show');
        await page.fill('.stmt-row[data-state="draft"] .comment-sentence', '2');
        await page.fill('.stmt-row[data-state="draft"] .comment-text', '写明检测机构的全称');
        await page.click('.stmt-row[data-state="draft"] .comment-add');
        await page.waitForFunction(() => document.querySelector('.stmt-row .stmt-comments')?.textContent.includes('#2'));
        await page.click('.stmt-row[data-state="draft"] .stmt-revise');
        await page.fill('#stmt-body', GOOD.replace('市疾控中心', '东湖市疾病预防控制中心'));
        await page.click('#stmt-save');
        await page.waitForSelector('.stmt-row[data-state="draft"] + .stmt-row[data-state="draft"], .stmt-row[data-state="draft"]:nth-of-type(2)');
        const rows = await page.$$('.stmt-row[data-state="draft"]');
        await (await rows[rows.length - 1].$('.stmt-show')).click();
        await page.waitForSelector('.stmt-diff[data-added="1"][data-removed="1"] .diff-added');
        await (await rows[rows.length - 1].$('.stmt-approve')).click();  // the revised version
        await page.waitForSelector('.stmt-row[data-state="approved"] .stmt-publish');
        await page.click('.stmt-row[data-state="approved"] .stmt-publish');
        await page.waitForSelector('.stmt-row[data-state="published"]');
        await page.waitForSelector('#incident-commitments tr[data-status="open"] .countdown');
        const published = await page.textContent('.stmt-row[data-state="published"]');
        assert(published.includes('v2') && published.includes('权威发布'), `the revision kept its kind (${published})`);
      }],
      ['the promise is kept with its evidence', async () => {
        await page.fill('#incident-commitments tr[data-status="open"] .kept-evidence', 'https://example.cn/data');
        await page.click('#incident-commitments tr[data-status="open"] .commitment-kept');
        await page.waitForSelector('#incident-commitments tr[data-status="kept"]');
      }],
      ['a rumour clarification finds the posts spreading the claim', async () => {
        await page.fill('#clar-claim', '听说东湖市自来水公司的水里有毒，已经死人了');
        await page.fill('#clar-evidence', '市疾控中心检测：各项指标符合国家标准，无人死亡');
        await page.selectOption('#clar-statement', { index: 1 });
        await page.click('#clar-add');
        await page.waitForSelector('#incident-clarifications tr[data-id]');
        const text = await page.textContent('#incident-clarifications tr[data-id]');
        const n = Number((/(\d+)/.exec(text.split('传播帖子')[1] || '') || [])[1] || 0);
        assert(n > 0, `spreading posts found (${text})`);
      }],
      ['monitor, close, and read the evaluation and the timeline', async () => {
        await page.click('#incident-next');
        await page.waitForFunction(() => document.querySelector('#incident-state')?.textContent.includes('监测中'));
        await page.click('#incident-next');
        await page.waitForFunction(() => document.querySelector('#incident-state')?.textContent.includes('已结束'));
        const ack = await page.textContent('#ev-to-ack b');
        assert(ack !== '–', `time to acknowledge shown (${ack})`);
        const deadlines = await page.textContent('#ev-deadlines b');
        assert(/\d+\/\d+/.test(deadlines), `deadlines met shown (${deadlines})`);
        const kept = await page.textContent('#ev-commitments b');
        assert(kept.startsWith('1/1'), `promise kept on time (${kept})`);
        await page.waitForSelector('#around-statements tr[data-statement]');
        await page.waitForSelector('#timeline-entries .tl-entry[data-kind="statement"]');
        await page.waitForSelector('#timeline-entries .tl-entry[data-kind="task_due"]');
        await page.waitForSelector('#chart-timeline canvas');
        // States and the plan by their Chinese names, not their ids.
        const timeline = await page.textContent('#timeline-entries');
        assert(timeline.includes('已确认 → 处置中'), `state changes in Chinese: ${timeline.slice(0, 600)}`);
        assert(!/acknowledged|responding|monitoring/.test(timeline), `no state ids in the timeline: ${timeline.slice(0, 600)}`);
        const header = await page.textContent('main');
        assert(!header.includes('general-'), 'the plan by its title, not its id');
        await shot(page, 'incident-evaluation');
      }],
      ['titles are text, never markup', async () => {
        const r = await apiCall(page, 'POST', '/incidents', { title: XSS, level: 'IV' });
        assert(r.status === 201, `opened by hand (${r.status})`);
        await page.goto(`${base}/#/incidents`);
        await page.waitForSelector(`#incident-list tr[data-id="${r.data.id}"]`);
        await page.waitForSelector('#incident-stats:not([hidden]) .inc-figure');
        // The talking-points library: add a draft answer, approve it.
        await page.fill('#tp-topic', '水质');
        await page.fill('#tp-question', XSS);
        await page.fill('#tp-answer', '经检测，各项指标符合国家标准，可以放心饮用。');
        await page.click('#tp-add');
        await page.waitForSelector('#tp-list .stmt-row[data-status="draft"] .tp-approve');
        await page.click('#tp-list .stmt-row[data-status="draft"] .tp-approve');
        await page.waitForSelector('#tp-list .stmt-row[data-status="approved"]');
        assert(!(await page.$('#tp-list img')), 'the question shows as text');
        const text = await page.textContent(`#incident-list tr[data-id="${r.data.id}"] .incident-link`);
        assert(text.includes(XSS), 'the title shows as text');
        assert(!(await page.$('#incident-list img')), 'no image element was created');
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
    ];
    ok = await runSteps(`incident ${base}`, steps);
    if (!ok) await shot(page, 'incident-failure').catch(() => {});
    void incidentId;
  } catch (e) {
    console.log(`  ✗ ${e.message}`);
    ok = false;
  } finally {
    if (browser) await browser.close();
    if (proc && !exited) {
      proc.kill('SIGTERM');
      await until(async () => exited, 15000, 'serve to stop').catch(() => proc.kill('SIGKILL'));
    }
    if (!ok) console.log(`--- serve output (tail) ---\n${out.join('').slice(-2000)}`);
    fs.rmSync(data, { recursive: true, force: true });
  }
  return ok;
}

if (process.argv[1] && process.argv[1].endsWith('incident_e2e.mjs')) process.exit((await runIncidentE2e()) ? 0 : 1);
