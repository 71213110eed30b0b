// The real `yuqing serve` (build/yuqing, or $YUQING_BIN) for browser tests: a temporary --data
// directory prepared by CLI commands (the demo crisis replayed, users added), on a free loopback
// port, stopped and removed by stop().
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT, WEB } from './lib.mjs';

export const BIN = process.env.YUQING_BIN || path.join(ROOT, 'build', 'yuqing');

// Why the real server cannot run here (a SKIP reason), or null.
export function unavailable() {
  if (!fs.existsSync(BIN)) return `${BIN} not built (cmake --build build)`;
  const help = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
  if (!/\bserve\b/.test(`${help.stdout}${help.stderr}`)) return `${BIN} has no 'serve' subcommand`;
  return null;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

export async function until(check, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function cli(data, args, input) {
  const r = spawnSync(BIN, ['--data', data, ...args], { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`yuqing ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

// The demo crisis (scripts/gen_demo.py) with its schemes, replayed at full speed into `data`.
// recent: moved by whole days to end within the last 24 hours (pages that show "the last N days").
export function replayDemo(data, { recent = false } = {}) {
  const stream = path.join(data, 'demo.jsonl');
  const gen = spawnSync('python3', [path.join(ROOT, 'scripts', 'gen_demo.py'), stream, ...(recent ? ['--recent'] : [])], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`gen_demo.py: ${gen.stderr}`);
  cli(data, ['topics', 'import', path.join(ROOT, 'scripts', 'demo', 'schemes.yaml')]);
  cli(data, ['replay', stream, '--speed', 'max']);
}

// Prepares a data directory with `setup(data)`, starts serve on it; returns
// {base, data, output(), stop()}. stop() removes the directory.
export async function startServer(setup = () => {}) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'yuqing-web-'));
  const out = [];
  let proc = null;
  let exited = null;
  const stop = async () => {
    if (proc && !exited) {
      proc.kill('SIGTERM');
      await until(async () => exited, 15000, 'serve to stop').catch(() => proc.kill('SIGKILL'));
    }
    fs.rmSync(data, { recursive: true, force: true });
  };
  try {
    await setup(data);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proc = spawn(BIN, ['--data', data, 'serve', '--listen', `127.0.0.1:${port}`, '--web', WEB], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.on('data', (d) => out.push(d.toString()));
    proc.stderr.on('data', (d) => out.push(d.toString()));
    proc.on('exit', (code, sig) => { exited = { code, sig }; });
    await until(async () => {
      if (exited) throw new Error(`serve exited (${JSON.stringify(exited)}):\n${out.join('')}`);
      return (await fetch(`${base}/healthz`)).ok;
    }, 30000, `${base}/healthz`);
    return { base, data, output: () => out.join(''), stop };
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n--- serve output ---\n${out.join('').slice(-3000)}`);
  }
}
