// The overview as a wall, against the real `yuqing serve` on the replayed demo crisis (issue 19):
// the province map has provinces with values, the word cloud has words, every key figure shows
// its 环比 (the server's previous period), every source has a Chinese name, no donut label leaves
// its chart, and the wall screen (#/wall) renders full screen, dark, in large type, and refreshes
// by itself when a post streams in.
import { assert, assertEq, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { cli, replayDemo, startServer, unavailable } from './real_server.mjs';

// The chart's option as ECharts holds it (what it drew).
function chartOption(page, sel) {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    const c = el && window.echarts.getInstanceByDom(el);
    return c ? JSON.parse(JSON.stringify(c.getOption(), (k, v) => (typeof v === 'function' ? undefined : v))) : null;
  }, sel);
}

// Every pie label's box, in the chart's pixels, with the chart's size.
function pieLabelBoxes(page, sel) {
  return page.evaluate((s) => {
    const chart = window.echarts.getInstanceByDom(document.querySelector(s));
    const data = chart.getModel().getSeriesByIndex(0).getData();
    const boxes = [];
    for (let i = 0; i < data.count(); i += 1) {
      const label = data.getItemGraphicEl(i)?.getTextContent();
      if (!label || label.ignore || label.invisible) continue;
      const r = label.getBoundingRect().clone();
      r.applyTransform(label.getComputedTransform());
      boxes.push({ name: data.getName(i), x: r.x, y: r.y, w: r.width, h: r.height });
    }
    return { width: chart.getWidth(), height: chart.getHeight(), boxes };
  }, sel);
}

async function wallViews() {
  const user = 'wall-admin';
  const password = `Wall-${Math.random().toString(36).slice(2)}-pw`;
  const server = await startServer((data) => {
    replayDemo(data, { recent: true });
    cli(data, ['user', 'add', user, '--role', 'admin', '--password-stdin'], `${password}\n`);
  });
  const { base } = server;
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    let ov = null;
    ok = await runSteps(`the overview as a wall on the replayed demo (${base})`, [
      ['the server sends the previous period and the words', async () => {
        await login(page, base, user, password);
        ov = await page.evaluate(async () => {
          const to = new Date();
          const from = new Date(to.getTime() - 7 * 86400e3);
          const r = await fetch(`/api/v1/overview?from=${from.toISOString()}&to=${to.toISOString()}`);
          return r.json();
        });
        assert(ov.total > 0 && ov.previous && typeof ov.previous.total === 'number', `previous period (${JSON.stringify(ov.previous)})`);
        assertEq(Date.parse(ov.previous.to), Date.parse(ov.from), 'the previous period ends where the range starts');
        assert(ov.keywords.length > 5, `words for the cloud (${ov.keywords.length})`);
        assert(ov.regions.length > 0, 'the demo has provinces');
        assert(ov.alerts_raised > 0 && ov.events_active > 0, `alerts raised ${ov.alerts_raised}, events active ${ov.events_active}`);
      }],
      ['the map has provinces with values', async () => {
        await page.goto(`${base}/#/overview?range=7d`);
        await page.waitForSelector('#chart-map canvas');
        await page.waitForFunction(() => Number(document.querySelector('#chart-map')?.dataset.provinces) > 0);
        await page.waitForFunction(() => {
          const c = window.echarts.getInstanceByDom(document.querySelector('#chart-map'));
          return c && c.getOption().series?.[0]?.data?.length > 0;
        });
        const opt = await chartOption(page, '#chart-map');
        assertEq(opt.series[0].map, 'china', 'a map of China');
        const valued = opt.series[0].data.filter((d) => d.value > 0);
        assert(valued.length > 0, 'provinces with values');
        assert(await page.evaluate(() => !!window.echarts.getMap('china')), 'the China map is registered');
        const regions = await page.evaluate(() => window.echarts.getMap('china').geoJSON.features.map((f) => f.properties.name));
        assert(regions.length >= 34, `34 provincial regions on the map (${regions.length})`);
        for (const d of valued) assert(regions.includes(d.name), `${d.name} is a region of the map`);
        const label = await page.getAttribute('#chart-map', 'aria-label');
        assert(label && label.includes(valued[0].name), `the map describes itself (${label})`);
        const rows = await page.$$eval('#overview-regions tbody tr', (trs) => trs.map((tr) => tr.dataset.province));
        assertEq(rows[0], valued.sort((a, b) => b.value - a.value)[0].name, 'the table lists the biggest province first');
      }],
      ['the word cloud has words', async () => {
        await page.waitForSelector('#chart-words canvas');
        await page.waitForFunction(() => Number(document.querySelector('#chart-words')?.dataset.words) > 0);
        const opt = await chartOption(page, '#chart-words');
        assertEq(opt.series[0].type, 'wordCloud', 'a word cloud series');
        assert(opt.series[0].data.length > 5, `words in the cloud (${opt.series[0].data.length})`);
        const words = await page.$$eval('#chart-words + div .word-list li', (li) => li.map((x) => x.textContent));
        assertEq(words[0], ov.keywords[0].word, 'the heaviest word first');
        // Something was drawn: the canvas is not blank.
        const inked = await page.evaluate(() => {
          const cv = document.querySelector('#chart-words canvas');
          const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
          let n = 0;
          for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n += 1;
          return n;
        });
        assert(inked > 500, `the words are drawn (${inked} pixels)`);
      }],
      ['every figure shows its 环比', async () => {
        const kpis = await page.$$eval('.kpis .kpi', (els) => els.map((e) => ({
          id: e.id, change: e.querySelector('.kpi-change')?.textContent || '', dir: e.querySelector('.kpi-change')?.dataset.dir,
        })));
        assertEq(kpis.length, 4, 'four key figures');
        for (const k of kpis) assert(/^环比/.test(k.change) && k.dir, `${k.id} shows 环比 (${k.change})`);
        const volume = kpis.find((k) => k.id === 'kpi-volume');
        if (ov.previous.total === 0) assertEq(volume.dir, 'new', 'no previous posts: new');
        // The last 24 hours against the 24 before: the demo has posts in both, so a real percentage.
        const day = await page.evaluate(async () => {
          const to = new Date();
          const r = await fetch(`/api/v1/overview?from=${new Date(to - 86400e3).toISOString()}&to=${to.toISOString()}`);
          return r.json();
        });
        await page.click('button.seg[data-range="24h"]');
        await page.waitForFunction(() => location.hash.includes('range=24h'));
        if (day.previous.total > 0 && day.total > 0 && day.total !== day.previous.total) {
          const want = `${day.total > day.previous.total ? '+' : '−'}`;
          await page.waitForFunction((w) => {
            const c = document.querySelector('#kpi-volume .kpi-change')?.textContent || '';
            return /%$/.test(c) && c.includes(w);
          }, want);
        }
        await page.click('button.seg[data-range="7d"]');
        await page.waitForFunction(() => location.hash.includes('range=7d'));
        const regionChanges = await page.$$eval('#overview-regions tbody tr .kpi-change', (els) => els.length);
        assert(regionChanges > 0, 'provinces show 环比');
      }],
      ['source names are translated; no donut label is cut off', async () => {
        const opt = await chartOption(page, '#chart-sources');
        const names = opt.series[0].data.map((d) => d.name);
        assert(names.length >= 5, `the demo's sources (${names})`);
        for (const n of names) assert(!/^[a-z_]+$/.test(n), `source "${n}" is translated`);
        for (const n of ['小红书', '知乎', '微博']) assert(names.includes(n), `${n} among ${names}`);
        for (const vp of [{ width: 1366, height: 860 }, { width: 390, height: 844 }]) {
          await page.setViewportSize(vp);
          await page.waitForTimeout(300); // the ResizeObserver's resize and relayout
          const { width, height, boxes } = await pieLabelBoxes(page, '#chart-sources');
          assert(boxes.length >= 3, `labels shown at ${vp.width}px (${boxes.length})`);
          for (const b of boxes) {
            assert(b.x >= 0 && b.y >= 0 && b.x + b.w <= width + 0.5 && b.y + b.h <= height + 0.5,
              `label ${b.name} inside the ${width}×${height} chart at ${vp.width}px: ${JSON.stringify(b)}`);
          }
        }
        await page.setViewportSize({ width: 1366, height: 860 });
        await shot(page, 'real-overview-wall');
      }],
      ['大屏: full screen, dark, large type, refreshes itself', async () => {
        await page.setViewportSize({ width: 1920, height: 1080 });
        await page.click('#open-wall');
        await page.waitForSelector('#wall');
        assert(page.url().includes('#/wall?range=7d'), `the wall keeps the range (${page.url()})`);
        assert(!(await page.$('.sidenav')) && !(await page.$('.topbar')), 'no navigation or header');
        const look = await page.evaluate(() => {
          const bg = getComputedStyle(document.body).backgroundColor;
          const v = document.querySelector('#wall-kpis .kpi-value');
          return { bg, size: v ? parseFloat(getComputedStyle(v).fontSize) : 0 };
        });
        const [r, g, b] = look.bg.match(/\d+/g).map(Number);
        assert(r + g + b < 120, `a dark screen (${look.bg})`);
        assert(look.size >= 48, `large figures (${look.size}px)`);
        await page.waitForFunction(() => Number(document.querySelector('#wall-map')?.dataset.provinces) > 0);
        await page.waitForFunction(() => {
          const c = window.echarts.getInstanceByDom(document.querySelector('#wall-map'));
          return c && c.getOption().series?.[0]?.data?.length > 0;
        });
        await page.waitForFunction(() => Number(document.querySelector('#wall-words')?.dataset.words) > 0);
        const changes = await page.$$eval('#wall-kpis .kpi-change', (els) => els.map((e) => e.textContent));
        assert(changes.length === 4 && changes.every((c) => c.startsWith('环比')), `环比 on the wall (${changes})`);
        assert((await page.$$('#wall-events li')).length > 0, 'hot events listed');
        const clock = await page.textContent('#wall-clock');
        await page.waitForFunction((c) => document.querySelector('#wall-clock').textContent !== c, clock, { timeout: 5000 });
        await shot(page, 'real-wall');
        // A post streams in: the wall refreshes by itself and the volume grows.
        const before = await page.textContent('#kpi-volume .kpi-value');
        const st = await page.evaluate(async () => {
          const me = await fetch('/api/v1/auth/me').then((x) => x.json());
          const r = await fetch('/api/v1/posts', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
            body: JSON.stringify({ id: 'wall-live-1', source: 'zhihu', text: '大屏测试：东湖市自来水公司今天的水质公告看到了吗', published_at: new Date().toISOString() }),
          });
          return r.status;
        });
        assert(st < 300, `post ingested (${st})`);
        await page.waitForFunction((b) => document.querySelector('#kpi-volume .kpi-value').textContent !== b, before, { timeout: 20000 });
        await page.setViewportSize({ width: 1366, height: 860 });
      }],
      ['leaving the wall brings the navigation back', async () => {
        await page.click('#wall-exit');
        await page.waitForSelector('.sidenav');
        assert(!(await page.evaluate(() => document.body.classList.contains('bare'))), 'the wall style is gone');
      }],
      ['no page errors', async () => {
        assert(!problems.length, problems.join('\n'));
      }],
    ]);
  } finally {
    await browser.close();
    await server.stop();
  }
  return ok;
}

export async function runWallE2e() {
  const why = unavailable();
  if (why) {
    console.log(`\n# the overview as a wall\n  - SKIP: ${why}`);
    return true;
  }
  return wallViews();
}
