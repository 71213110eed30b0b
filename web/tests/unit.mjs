// Static checks that need no browser: the dictionaries agree, every literal key exists, and no
// module inserts HTML from strings.
import fs from 'node:fs';
import path from 'node:path';
import { WEB, runSteps, assert } from './lib.mjs';

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

async function loadDict(name) {
  // The dictionaries are plain ES modules with a default export; import them directly.
  return (await import(path.join(WEB, 'js/i18n', name))).default;
}

export async function runUnit() {
  const files = jsFiles(path.join(WEB, 'js'));
  const zh = await loadDict('zh-CN.js');
  const en = await loadDict('en.js');
  return runSteps('unit: dictionaries and safety rules', [
    ['zh-CN and en have the same keys', () => {
      const missingEn = Object.keys(zh).filter((k) => !(k in en));
      const missingZh = Object.keys(en).filter((k) => !(k in zh));
      assert(!missingEn.length, `missing in en.js: ${missingEn.join(', ')}`);
      assert(!missingZh.length, `missing in zh-CN.js: ${missingZh.join(', ')}`);
    }],
    ['every literal t(\'key\') is in the dictionary', () => {
      const missing = [];
      for (const f of files) {
        const src = fs.readFileSync(f, 'utf8');
        for (const m of src.matchAll(/\bt\('([a-z0-9_]+\.[a-z0-9_.]+)'/gi)) if (!(m[1] in zh)) missing.push(`${path.relative(WEB, f)}: ${m[1]}`);
      }
      assert(!missing.length, `undefined keys:\n  ${missing.join('\n  ')}`);
    }],
    ['enumerated keys exist (sentiments, types, levels, statuses, ranges, nav)', () => {
      const need = ['negative', 'neutral', 'positive', 'unknown'].map((x) => `sentiment.${x}`)
        .concat(['complaint', 'suggestion', 'rumor', 'attack', 'group_event', 'accident', 'praise', 'news'].map((x) => `type.${x}`))
        .concat(['I', 'II', 'III', 'IV', 'unknown'].map((x) => `level.${x}`))
        .concat(['open', 'acked', 'resolved'].map((x) => `alert.status.${x}`))
        .concat(['1h', '24h', '7d', '30d', '365d'].map((x) => `range.${x}`))
        .concat(['overview', 'feed', 'alerts', 'events', 'schemes'].map((x) => `nav.${x}`))
        .concat(['reposts', 'comments', 'likes', 'views'].map((x) => `metric.${x}`))
        .concat(['open', 'error', 'closed'].map((x) => `header.live_${x}`));
      const missing = need.filter((k) => !(k in zh));
      assert(!missing.length, `missing: ${missing.join(', ')}`);
    }],
    ['no innerHTML / outerHTML / insertAdjacentHTML / document.write / eval', () => {
      const bad = [];
      for (const f of files) {
        const src = fs.readFileSync(f, 'utf8');
        if (/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(src)) bad.push(path.relative(WEB, f));
      }
      assert(!bad.length, `HTML from strings in: ${bad.join(', ')}`);
    }],
    ['index.html loads ECharts from /vendor and the app as a module, no CDN', () => {
      const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
      assert(html.includes('src="/vendor/echarts.min.js"'), 'ECharts script tag');
      assert(html.includes('type="module" src="js/app.js"'), 'app module');
      assert(!/https?:\/\//.test(html.replace(/http-equiv/g, '')), 'no absolute URLs (CDN) in index.html');
      assert(fs.existsSync(path.join(WEB, 'node_modules/echarts/dist/echarts.min.js')), 'npm install in web/ (echarts)');
    }],
  ]);
}

if (process.argv[1] && process.argv[1].endsWith('unit.mjs')) process.exit((await runUnit()) ? 0 : 1);
