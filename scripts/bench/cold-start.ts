/**
 * Cold start to ready and RSS at rest, of the product as a real process (`node --import tsx src/cli.ts serve`,
 * Feishu credentials pointing at a Feishu emulator run here, a simulated cluster behind KUBECONFIG, a fresh
 * SQLite file), against the baseline of the
 * same Node starting with the same loader and exiting at once (`node --import tsx -e 0`), measured in the same
 * run. Ready = GET /readyz answers 200. RSS is VmRSS once ready and idle for a second.
 *
 * Run: npx tsx scripts/bench/cold-start.ts   (BENCH_RUNS=5)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { startFeishuEmulator } from '../../src/sandbox/feishu/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const app = {
  appId: 'cli_0123456789abcdef',
  appSecret: 'bench-secret',
  encryptKey: 'bench-key',
  verificationToken: 'vt',
};
const feishu = await startFeishuEmulator({
  port: 0,
  host: '127.0.0.1',
  app,
  bot: { openId: 'ou_bot', name: 'bot' },
  users: [],
  chats: [],
});

const kubeDir = mkdtempSync(join(tmpdir(), 'nanobot-cold-kube-'));
const cluster = await startClusterSimulator({ kubeconfigPath: join(kubeDir, 'kubeconfig'), world: { demo: true } });

const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
};

async function coldStart(): Promise<{ ms: number; listenMs: number; rss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-cold-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      FEISHU_APP_ID: app.appId,
      FEISHU_APP_SECRET: app.appSecret,
      FEISHU_DOMAIN: feishu.url,
      ALERTMANAGER_WEBHOOK_TOKEN: 'bench',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_PATH: join(dir, 'bot.db'),
      KUBECONFIG: join(kubeDir, 'kubeconfig'),
      SRE_NANOBOT_CONFIG: '',
    },
  });
  let out = '';
  const port = await new Promise<number>((done, fail) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('sre-nanobot listening'));
      if (!line) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      done((JSON.parse(line) as { port: number }).port);
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
  });
  const listenMs = performance.now() - started;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 1000));
  const rss = rssOf(child.pid ?? 0);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return { ms, listenMs, rss };
}

function baseline(): number {
  const t = performance.now();
  spawnSync(process.execPath, ['--import', 'tsx', '-e', '0'], { cwd: ROOT });
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const runs: { ms: number; listenMs: number; rss: number }[] = [];
const bases: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bases.push(baseline());
  runs.push(await coldStart());
}
await feishu.close();
await cluster.close();
rmSync(kubeDir, { recursive: true, force: true });
const ms = median(runs.map((r) => r.ms));
const base = median(bases);
console.log(`${RUNS} runs, medians`);
console.log(
  `cold start to ready (serve, /readyz 200)  ${ms.toFixed(0)} ms | baseline node --import tsx -e 0 ${base.toFixed(0)} ms | ratio ${(ms / base).toFixed(2)}`,
);
const listen = median(runs.map((r) => r.listenMs));
console.log(
  `cold start to listening (log line)       ${listen.toFixed(0)} ms | baseline node --import tsx -e 0 ${base.toFixed(0)} ms | ratio ${(listen / base).toFixed(2)}`,
);
const rss = median(runs.map((r) => r.rss));
console.log(`RSS at rest (ready, idle 1 s)  ${(rss / 2 ** 20).toFixed(1)} MiB`);
