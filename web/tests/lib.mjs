// Shared test helpers: Debian's Chromium through playwright-core (never a downloaded browser),
// screenshots into test-artifacts/, and a tiny test runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WEB, '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'dashboard');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const VIEWPORTS = {
  laptop: { width: 1366, height: 860 },
  phone: { width: 390, height: 844 },
};

// A fresh profile per run; returns {context, close}.
export async function launch({ viewport = VIEWPORTS.laptop, isMobile = false } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'yuqing-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    isMobile,
    hasTouch: isMobile,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    reducedMotion: 'reduce', // charts draw at once, so screenshots show them whole
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Records console errors, page errors and dialogs (an alert() would mean an XSS).
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message} (${String(e.stack || '').split('\n').slice(1, 3).join(' ').trim()})`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|401|404/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  return problems;
}

export async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

export function assertEq(a, b, msg) {
  if (a !== b) throw new Error(`assertion failed: ${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

// Runs named async steps in order; stops at the first failure. Returns true when all passed.
export async function runSteps(title, steps) {
  console.log(`\n# ${title}`);
  let ok = true;
  for (const [name, fn] of steps) {
    const t0 = Date.now();
    try {
      const r = await fn();
      if (r && r.skip) console.log(`  - SKIP ${name}: ${r.skip}`);
      else console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      console.log(`  ✗ ${name}\n    ${String(e.stack || e).split('\n').slice(0, 6).join('\n    ')}`);
      ok = false;
      break;
    }
  }
  return ok;
}

export async function login(page, base, user, password) {
  await page.goto(`${base}/#/login`);
  await page.fill('#login-username', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('.topbar #user-name');
}
