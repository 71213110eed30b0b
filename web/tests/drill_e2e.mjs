// 演练 (drills, issue 17) on the real `yuqing serve`: the school-canteen scenario replayed at full
// speed into the server's sandbox; a responder logs in and every page says 演练模式 with the
// scenario's title (GET /api/v1/drill); times on the pages count in drill time (the drill's alerts are
// hours ahead of the wall clock); in English the band says "Drill mode".
import path from 'node:path';
import { assert, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { ROOT } from './lib.mjs';
import { cli, startServer, unavailable } from './real_server.mjs';

async function drillFlow() {
  const user = 'drill-admin';
  const password = `Drl-${Math.random().toString(36).slice(2)}-pw`;
  const server = await startServer((data) => {
    cli(data, ['drill', 'run', path.join(ROOT, 'examples', 'drills', 'school-canteen.yaml'), '--speed', '0']);
    cli(data, ['user', 'add', user, '--role', 'admin', '--password-stdin'], `${password}\n`);
  });
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    ok = await runSteps(`演练 on the real server (${server.base})`, [
      ['every page says 演练模式 with the scenario', async () => {
        await login(page, server.base, user, password);
        await page.waitForSelector('#drill-banner');
        const text = await page.textContent('#drill-banner');
        assert(text.includes('演练模式'), text);
        assert(text.includes('城南实验小学食堂食材问题及家长聚集处置演练'), text);
        await page.click('.sidenav a[data-page="alerts"]');
        await page.waitForSelector('#drill-banner');
        await page.waitForSelector('main time');
        await shot(page, 'drill-banner');
      }],
      ['times count in drill time: the drill\'s alerts are in the past, not "in 3 hours"', async () => {
        const times = await page.$$eval('main .alert-head > time', (els) => els.map((e) => e.textContent));
        assert(times.length > 0, 'alert times shown');
        assert(times.every((x) => !x.includes('后')), times.join(', '));
      }],
      ['in English: Drill mode', async () => {
        await page.selectOption('#lang-switch', 'en');
        await page.waitForFunction(() => document.querySelector('#drill-banner')?.textContent.includes('Drill mode'));
        await page.selectOption('#lang-switch', 'zh-CN');
      }],
      ['no page errors', async () => {
        assert(problems.length === 0, problems.join('\n'));
      }],
    ]);
  } finally {
    await browser.close();
    await server.stop();
  }
  return ok;
}

export async function runDrillE2e() {
  const why = unavailable();
  if (why) { console.log(`\n# 演练 on the real server\n  - SKIP: ${why}`); return true; }
  return drillFlow();
}
