/**
 * Memory of the product as production runs it, under an alert storm. For each variant it starts the real product
 * as a child process (`serve`, Feishu credentials pointing at a Feishu emulator run here, a simulated cluster
 * behind KUBECONFIG, 5 routes → 5 chats, a temporary SQLite file), waits until it is ready, then plays 10,000
 * alerts over 100 workloads in 10 s (200 Alertmanager v4 bodies of 50 alerts, from a separate load process) and
 * waits until the outbox has drained. Prints, per variant: RSS at rest, peak RSS during the storm (VmRSS sampled
 * every 50 ms) and over the process's life (VmHWM), webhook p50/p99, alerts stored (read from the SQLite file),
 * Feishu Open API calls seen by the emulator and the busiest chat's messages in any one second.
 *
 * Variants:  start  `npm start` — exactly the production command (build, then the compiled product); the
 *                   process measured is the node process it ends in
 *            tsx    `node --import tsx src/cli.ts` — the sources through tsx (how `npm start` ran before a build
 *                   existed), the baseline
 *            dist   `node dist/cli.js` without the production settings of `npm start`, plus the node flags in
 *                   PRODUCT_NODE_FLAGS and the VAR=value pairs in PRODUCT_ENV — to measure a setting before
 *                   adopting it (e.g. PRODUCT_ENV=MALLOC_ARENA_MAX=2 PRODUCT_NODE_FLAGS=--max-semi-space-size=2)
 *
 * Run: npx tsx scripts/bench/serve-rss.ts [--variants start,tsx] [--no-cluster]
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { startFeishuEmulator } from '../../src/sandbox/feishu/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'bench-token';
const CHATS = 5;
const STORM = { bodies: 200, alertsPerBody: 50, workloads: 100, seconds: 10 };
const MB = 1024 * 1024;

type Variant = 'start' | 'tsx' | 'dist';
const VARIANTS: readonly Variant[] = ['start', 'tsx', 'dist'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const variants = (arg('--variants') ?? 'start,tsx').split(',') as Variant[];
for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v} (${VARIANTS.join(', ')})`);
const withCluster = !process.argv.includes('--no-cluster');

interface Result {
  variant: Variant;
  command: string;
  restRss: number;
  peakRss: number;
  hwm: number;
  p50: number;
  p99: number;
  errors: number;
  alertsStored: number;
  feishuCalls: number;
  byPath: Record<string, number>;
  busiestChatPerSecond: number;
  drainMs: number;
  cpuSeconds: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `VmRSS` / `VmHWM` of a process, in bytes (undefined once it is gone). */
function memOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (clock ticks of 10 ms, as Linux reports them). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The node process under `root` (or root itself) with `needle` among its arguments. */
function findProcess(root: number, needle: string): number | undefined {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const isUnder = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  for (const pid of parents.keys()) {
    if (!isUnder(pid)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/(^|\/)node$/.test(argv[0] ?? '') && argv.includes(needle)) return pid;
    } catch {}
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function routesYaml(): string {
  const routes = Array.from(
    { length: CHATS },
    (_, i) => `  - name: team-${i}\n    match: ['namespace="ns${i}"']\n    chat_id: oc_bench_${i}\n`,
  );
  return `routes:\n${routes.join('')}`;
}

function launch(variant: Variant, env: NodeJS.ProcessEnv): { child: ChildProcess; command: string; needle: string } {
  const opts = { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[] };
  switch (variant) {
    case 'start':
      return { child: spawn('npm', ['start', '--silent'], opts), command: 'npm start', needle: 'dist/cli.js' };
    case 'tsx':
      return {
        child: spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], opts),
        command: 'node --import tsx src/cli.ts serve',
        needle: 'src/cli.ts',
      };
    case 'dist': {
      const flags = (process.env.PRODUCT_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
      const extra = (process.env.PRODUCT_ENV ?? '').split(/\s+/).filter(Boolean);
      for (const pair of extra) {
        const [k = '', ...v] = pair.split('=');
        env[k] = v.join('=');
      }
      return {
        child: spawn(process.execPath, [...flags, 'dist/cli.js', 'serve'], opts),
        command: [...extra, 'node', ...flags, 'dist/cli.js', 'serve'].join(' '),
        needle: 'dist/cli.js',
      };
    }
    default: {
      const never: never = variant;
      throw new Error(`unknown variant ${never}`);
    }
  }
}

async function runVariant(variant: Variant, cluster: ClusterSimulator | undefined, kubeconfig: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-rss-'));
  const chats = Array.from({ length: CHATS }, (_, i) => ({
    chatId: `oc_bench_${i}`,
    name: `team ${i}`,
    type: 'group' as const,
    members: [],
  }));
  const emu = await startFeishuEmulator({
    app: { appId: 'cli_0000000000000b3e', appSecret: 'bench-secret' },
    bot: { openId: 'ou_bench_bot', name: 'Bot' },
    users: [],
    chats,
  });
  const calls: { method: string; path: string }[] = [];
  emu.httpServer.prependListener('request', (req) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/open-apis/')) calls.push({ method: req.method ?? '', path });
  });
  const configPath = join(dir, 'sre-nanobot.yaml');
  writeFileSync(configPath, routesYaml());
  const dbPath = join(dir, 'sre-nanobot.db');
  const port = await freePort();
  const { MALLOC_ARENA_MAX: _arena, NODE_OPTIONS: _nodeOptions, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    FEISHU_APP_ID: emu.app.appId,
    FEISHU_APP_SECRET: 'bench-secret',
    FEISHU_DOMAIN: emu.url,
    ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
    DATABASE_PATH: dbPath,
    SRE_NANOBOT_CONFIG: configPath,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...(cluster ? { KUBECONFIG: kubeconfig } : { KUBECONFIG: join(dir, 'no-kubeconfig') }),
  };
  const { child, command, needle } = launch(variant, env);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  try {
    // Ready: the product answers /readyz (database, Feishu token, cluster).
    const until = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} exited ${child.exitCode}:\n${stderr}`);
      if (Date.now() > until) throw new Error(`${command} not ready within 120 s:\n${stderr}`);
      const ok = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(200);
    }
    const pid = findProcess(child.pid as number, needle);
    if (pid === undefined) throw new Error(`no process running ${needle} under ${command}`);
    await sleep(3000);
    const restRss = memOf(pid)?.rss ?? 0;

    let peakRss = restRss;
    const sampler = setInterval(() => {
      const m = memOf(pid);
      if (m) peakRss = Math.max(peakRss, m.rss);
    }, 50);
    const stormStarted = performance.now();
    const cpuBefore = cpuOf(pid);
    const load = await new Promise<{ latencies: number[]; errors: number }>((resolve, reject) => {
      const worker = fork(
        fileURLToPath(new URL('./load-worker.mjs', import.meta.url)),
        [
          JSON.stringify({
            url: `${base}/webhooks/alertmanager`,
            token: TOKEN,
            alertsPerBody: STORM.alertsPerBody,
            concurrency: 8,
            durationMs: STORM.seconds * 1000,
            workloads: STORM.workloads,
            namespaces: CHATS,
            seed: `rss-${variant}`,
            ratePerSec: STORM.bodies / STORM.seconds,
            totalBodies: STORM.bodies,
          }),
        ],
        { execArgv: [] },
      );
      worker.once('message', (m) => resolve(m as { latencies: number[]; errors: number }));
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited ${code}`)));
    });

    // Drained: every accepted body applied, nothing pending in the outbox and no card patch due (a read-only look
    // at the product's database).
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const pending = () =>
      count('SELECT COUNT(*) AS n FROM alert_webhooks WHERE processed_at IS NULL') +
      count("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'") +
      count('SELECT COUNT(*) AS n FROM card_refresh');
    const drainUntil = Date.now() + 300_000;
    while (pending() > 0 && Date.now() < drainUntil) await sleep(250);
    const drainMs = performance.now() - stormStarted;
    const cpuSeconds = cpuOf(pid) - cpuBefore;
    await sleep(1000);
    clearInterval(sampler);
    const end = memOf(pid);
    peakRss = Math.max(peakRss, end?.rss ?? 0);
    const alertsStored = count('SELECT COUNT(*) AS n FROM alerts');
    const stillPending = pending();
    db.close();
    if (stillPending > 0)
      console.warn(`  ${variant}: ${stillPending} bodies / outbox rows / card patches still pending`);

    const lat = [...load.latencies].sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0;
    const byPath: Record<string, number> = {};
    for (const c of calls) {
      const key = `${c.method} ${c.path.replace(/\/om_[^/]+/, '/:message_id')}`;
      byPath[key] = (byPath[key] ?? 0) + 1;
    }
    const result: Result = {
      variant,
      command,
      restRss,
      peakRss,
      hwm: end?.hwm ?? 0,
      p50: q(0.5),
      p99: q(0.99),
      errors: load.errors,
      alertsStored,
      feishuCalls: calls.filter((c) => !c.path.includes('/auth/')).length,
      byPath,
      busiestChatPerSecond: Math.max(...chats.map((c) => emu.maxSendsPerSecond(c.chatId))),
      drainMs,
      cpuSeconds,
    };
    process.kill(pid, 'SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    return result;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm start` builds before it runs; the other variants use what is there, so build once up front.
if (variants.includes('dist') || !existsSync(join(ROOT, 'dist/cli.js'))) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
const kubeDir = mkdtempSync(join(tmpdir(), 'sre-nanobot-rss-kube-'));
const kubeconfig = join(kubeDir, 'kubeconfig');
const cluster = withCluster
  ? await startClusterSimulator({ kubeconfigPath: kubeconfig, world: { demo: true } })
  : undefined;

console.log(
  `alert storm: ${STORM.bodies * STORM.alertsPerBody} alerts over ${STORM.workloads} workloads in ${STORM.seconds} s ` +
    `(${STORM.bodies} bodies of ${STORM.alertsPerBody}), ${CHATS} routes → ${CHATS} chats, ` +
    `${cluster ? 'a simulated cluster behind KUBECONFIG' : 'no cluster'}`,
);
const results: Result[] = [];
for (const v of variants) {
  const r = await runVariant(v, cluster, kubeconfig);
  results.push(r);
  const mb = (b: number) => `${(b / MB).toFixed(0)} MB`;
  console.log(`\n${r.variant}: ${r.command}`);
  console.log(`  RSS at rest ${mb(r.restRss)}, peak during the storm ${mb(r.peakRss)}, VmHWM ${mb(r.hwm)}`);
  console.log(
    `  webhook p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, non-200 ${r.errors}; alerts stored ${r.alertsStored}; drained after ${(r.drainMs / 1000).toFixed(1)} s, product CPU ${r.cpuSeconds.toFixed(1)} s`,
  );
  console.log(
    `  Feishu Open API calls ${r.feishuCalls} (${Object.entries(r.byPath)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}); busiest chat ${r.busiestChatPerSecond} messages in 1 s (limit 5)`,
  );
}
await cluster?.close();
rmSync(kubeDir, { recursive: true, force: true });

const baseline = results.find((r) => r.variant === 'tsx');
if (baseline) {
  console.log('\npeak RSS during the storm (goal < 200 MB):');
  for (const r of results) {
    const ratio = r.peakRss / baseline.peakRss;
    console.log(
      `  ${r.variant.padEnd(5)} ${(r.peakRss / MB).toFixed(0).padStart(4)} MB  (${ratio.toFixed(2)}× tsx, ${((r.peakRss - baseline.peakRss) / MB).toFixed(0)} MB)`,
    );
  }
}
