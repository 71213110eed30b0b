// 报告 against the real `yuqing serve` (issue 17): the demo crisis is replayed and an incident
// opened from its alert; on the 报告 page a press officer previews the daily brief of the crisis
// day (the sandboxed frame shows it, with its charts), downloads it as PDF, then downloads the
// incident's review (复盘) as PDF. Each PDF's first page, rendered by pdftoppm, is not blank and
// holds the charts' colours; a page that does not exist (a bad date) shows the server's error.
// The feed's export buttons download its posts as CSV and XLSX.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, assertEq, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { cli, replayDemo, startServer, unavailable } from './real_server.mjs';

// The first page of a PDF as RGB pixels (pdftoppm writes a binary PPM: P6 w h 255 then bytes).
function firstPage(pdf) {
  const prefix = path.join(path.dirname(pdf), `${path.basename(pdf, '.pdf')}-page`);
  const r = spawnSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '40', pdf, prefix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr}`);
  const file = fs.readdirSync(path.dirname(pdf)).map((n) => path.join(path.dirname(pdf), n))
    .find((n) => n.startsWith(prefix) && n.endsWith('.ppm'));
  const buf = fs.readFileSync(file);
  let pos = 0;
  const fields = [];
  while (fields.length < 4) {  // magic, width, height, maxval separated by whitespace
    while (/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    let start = pos;
    while (!/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    fields.push(buf.toString('latin1', start, pos));
  }
  return { width: Number(fields[1]), height: Number(fields[2]), pixels: buf.subarray(pos + 1) };
}

// Shares of non-white pixels and of coloured (chart) pixels on the page.
function ink(pdf) {
  const { pixels } = firstPage(pdf);
  let dark = 0, colour = 0;
  const n = pixels.length / 3;
  for (let i = 0; i < pixels.length; i += 3) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    if (r < 235 || g < 235 || b < 235) dark++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colour++;
  }
  return { dark: dark / n, colour: colour / n };
}

async function download(page, tmp, name) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), page.click('#report-download')]);
  const file = path.join(tmp, name);
  await dl.saveAs(file);
  return file;
}

async function reportFlow() {
  const user = 'report-admin';
  const password = `Rep-${Math.random().toString(36).slice(2)}-pw`;
  let incidentId = null;
  const server = await startServer((data) => {
    replayDemo(data);
    cli(data, ['user', 'add', user, '--role', 'admin', '--password-stdin'], `${password}\n`);
    const alerts = JSON.parse(cli(data, ['alerts', 'list', '--json']).trim().split('\n').pop()).items;
    const inc = JSON.parse(cli(data, ['incidents', 'open', '--alert', String(alerts[alerts.length - 1].id),
      '--team', 'commander=王强', '--team', 'spokesperson=李明', '--json']).trim().split('\n').pop());
    incidentId = inc.id;
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yuqing-report-e2e-'));
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    ok = await runSteps(`报告 on the real server (${server.base})`, [
      ['the 报告 page is in the nav', async () => {
        await login(page, server.base, user, password);
        await page.click('.sidenav a[data-page="reports"]');
        await page.waitForSelector('#report-form #report-kind');
        assert((await page.textContent('main h1')).includes('报告'), 'the page title');
      }],
      ['a bad day shows the server\'s error', async () => {
        await page.fill('#report-date', '');
        await page.click('#report-preview');
        await page.waitForSelector('#report-status .error-box, #report-status .error');
        assert((await page.textContent('#report-status')).includes('date'), await page.textContent('#report-status'));
      }],
      ['preview the daily brief of the crisis day', async () => {
        await page.fill('#report-date', '2026-06-03');
        await page.click('#report-preview');
        await page.waitForFunction(() => !document.querySelector('#report-preview-box').hidden);
        const frame = page.frames().find((f) => f !== page.mainFrame());
        await frame.waitForFunction(() => document.querySelector('h1')?.textContent.includes('舆情日报'));
        assertEq((await frame.textContent('h1')).trim(), '舆情日报', 'the report title');
        await frame.waitForSelector('[data-chart="trend"] svg');
        assert((await frame.textContent('body')).includes('舆情概述'), 'the summary');
        await shot(page, 'reports-preview');
      }],
      ['download it as PDF: the first page is not blank and has the charts', async () => {
        await page.selectOption('#report-format', 'pdf');
        const pdf = await download(page, tmp, 'daily.pdf');
        assertEq(fs.readFileSync(pdf).subarray(0, 5).toString(), '%PDF-', 'a PDF');
        const i = ink(pdf);
        assert(i.dark > 0.02, `the first page is not blank (${i.dark})`);
        assert(i.colour > 0.005, `the first page holds the charts' colours (${i.colour})`);
      }],
      ['download the incident review (复盘) as PDF', async () => {
        await page.selectOption('#report-kind', 'incident');
        await page.fill('#report-incident', String(incidentId));
        await page.click('#report-preview');
        await page.waitForFunction(() => (document.querySelector('#report-frame')?.src || '').includes('incident='));
        const frame = page.frames().find((f) => f !== page.mainFrame());
        await frame.waitForFunction(() => document.querySelector('h1')?.textContent.includes('事件处置复盘报告'));
        const pdf = await download(page, tmp, 'review.pdf');
        const i = ink(pdf);
        assert(i.dark > 0.02, `the review's first page is not blank (${i.dark})`);
        assert(i.colour > 0.002, `the review's first page has colour (${i.colour})`);
      }],
      ['the feed exports its posts as CSV and Excel', async () => {
        await page.goto(`${server.base}/#/feed?q=${encodeURIComponent('东湖')}`);
        await page.waitForSelector('.export-buttons .export-csv');
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('.export-buttons .export-csv')]);
        const file = path.join(tmp, 'feed.csv');
        await dl.saveAs(file);
        const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
        assert(lines[0].startsWith('编号,发布时间,来源'), `the CSV header: ${lines[0]}`);
        assert(lines.length > 10, `the CSV holds the feed's posts (${lines.length - 1})`);
        const [x] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('.export-buttons .export-xlsx')]);
        const xlsx = path.join(tmp, 'feed.xlsx');
        await x.saveAs(xlsx);
        assertEq(fs.readFileSync(xlsx).subarray(0, 2).toString(), 'PK', 'an XLSX (zip)');
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
    ]);
    if (!ok) await shot(page, 'reports-failure').catch(() => {});
  } finally {
    await browser.close();
    if (!ok) console.log(`--- serve output (tail) ---\n${server.output().slice(-2000)}`);
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return ok;
}

export async function runReportE2e() {
  const why = unavailable();
  if (why) { console.log(`\n# 报告 on the real server\n  - SKIP: ${why}`); return true; }
  if (spawnSync('pdftoppm', ['-v']).error) { console.log('\n# 报告\n  - SKIP: pdftoppm (poppler-utils) is not installed'); return true; }
  return reportFlow();
}
