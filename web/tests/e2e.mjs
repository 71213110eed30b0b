// End-to-end: the real `yuqing serve` (build/yuqing, or $YUQING_BIN) on a free loopback port with a
// temporary --data directory, driven through the dashboard in Chromium (the journey in
// scenario.mjs). Skips, saying why, when the binary has no `serve` yet.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, WEB, launch, watchPage, runSteps } from './lib.mjs';
import { journey } from './scenario.mjs';
import { BIN, freePort, until } from './real_server.mjs';

export async function runE2e() {
  console.log('\n# e2e: real yuqing serve');
  if (!fs.existsSync(BIN)) {
    console.log(`  - SKIP: ${BIN} not built (cmake --build build)`);
    return true;
  }
  const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  if (!/\bserve\b/.test(`${help.stdout}${help.stderr}`)) {
    console.log(`  - SKIP: ${BIN} has no 'serve' subcommand yet (the server is still being built)`);
    return true;
  }

  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'yuqing-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let user = 'e2e-admin';
  let password = `E2e-${Math.random().toString(36).slice(2)}-pw`;

  // Prefer a user we create (`user add --password-stdin`); fall back to the one-time admin
  // password `serve` prints on first start.
  const add = spawnSync(BIN, ['--data', data, 'user', 'add', user, '--role', 'admin', '--password-stdin'], { input: `${password}\n`, encoding: 'utf8' });
  const created = add.status === 0;
  if (!created) console.log(`  (user add unavailable: ${(add.stderr || add.stdout || '').trim().split('\n')[0]}; using the first-start admin password)`);

  const out = [];
  const proc = spawn(BIN, ['--data', data, 'serve', '--listen', `127.0.0.1:${port}`, '--web', WEB], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => out.push(d.toString()));
  proc.stderr.on('data', (d) => out.push(d.toString()));
  let exited = null;
  proc.on('exit', (code, sig) => { exited = { code, sig }; });

  let ok = false;
  let browser = null;
  try {
    await until(async () => {
      if (exited) throw new Error(`serve exited (${JSON.stringify(exited)}):\n${out.join('')}`);
      const r = await fetch(`${base}/healthz`);
      return r.ok;
    }, 30000, `${base}/healthz`).catch((e) => { throw new Error(`${e.message}\n--- serve output ---\n${out.join('').slice(-3000)}`); });

    if (!created) {
      user = 'admin';
      const m = /(?:password|密码)[^\n]*?[:：=]\s*(\S{6,})/i.exec(out.join(''));
      if (!m) throw new Error(`no admin password in serve's output:\n${out.join('').slice(-2000)}`);
      password = m[1].replace(/[)"'`]+$/, '');
    }
    console.log(`  serve on ${base}, data ${data}, user ${user}`);

    browser = await launch();
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    journey.page = page;
    ok = await runSteps(`real server at ${base}: the user journey`, journey({ base, user, password, prefix: 'e2e', problems }).steps);
  } catch (e) {
    console.log(`  ✗ ${e.message}`);
    ok = false;
  } finally {
    if (browser) await browser.close();
    if (!exited) {
      proc.kill('SIGTERM');
      await until(async () => exited, 15000, 'serve to stop').catch(() => proc.kill('SIGKILL'));
    }
    if (!ok) console.log(`--- serve output (tail) ---\n${out.join('').slice(-2000)}`);
    fs.rmSync(data, { recursive: true, force: true });
  }
  return ok;
}

if (process.argv[1] && process.argv[1].endsWith('e2e.mjs')) process.exit((await runE2e()) ? 0 : 1);
