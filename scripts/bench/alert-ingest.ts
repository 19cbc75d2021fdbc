/**
 * Alert ingestion benchmark. Prints:
 *  1. alerts/s and webhook latency (p50/p99) for 1-alert and 50-alert bodies through the real
 *     POST /webhooks/alertmanager (auth, zod, the body committed to SQLite on disk before the 200), against a bare
 *     Koa JSON handler measured in the same run (ratio = ours / bare, in bodies per second); and how fast the
 *     same process applied those alerts (grading, grouping, incidents, outbox) — end to end, from the first
 *     body accepted to the last one applied — with the longest wait between a 200 and its body being applied;
 *  2. an alert storm: 10,000 alerts over 100 workloads in 10 s, drained by the outbox worker into a recording
 *     Feishu fake: every alert stored, Feishu calls made, the busiest chat's messages in any one second;
 *  3. peak RSS of this process (the product process's own: scripts/bench/serve-rss.ts).
 * Run: npx tsx scripts/bench/alert-ingest.ts   (BENCH_SECONDS=3 per measurement, BENCH_ROUNDS=3 saturated rounds; BENCH_VERBOSE=1
 * prints memory per phase; BENCH_NO_REEXEC=1 keeps glibc's default malloc arenas)
 */

import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { loadConfig } from '../../src/config.js';
import { bodyReader } from '../../src/http/body.js';
import { mountAlertmanagerWebhook } from '../../src/http/routes/alertmanager.js';
import { HttpServer } from '../../src/http/server.js';
import { AlertIntake } from '../../src/incidents/alert-intake.js';
import { AlertingServices } from '../../src/incidents/background.js';
import { incidentDeps } from '../../src/incidents/context.js';
import { systemClock } from '../../src/ports/clock.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { BackgroundCheckpointer } from '../../src/store/checkpointer.js';
import { Store } from '../../src/store/index.js';
import { startStormDrain } from './storm-drain.js';

// glibc gives every thread its own malloc arenas; SQLite's background checkpoint thread and libuv's pool then
// inflate RSS with fragmentation. The product is meant to run with MALLOC_ARENA_MAX=2 (see README), and so is
// this benchmark: it re-runs itself with it unless told not to.
if (!process.env.MALLOC_ARENA_MAX && !process.env.BENCH_NO_REEXEC) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  process.exit(r.status ?? 1);
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOKEN = 'bench-token';
const CONCURRENCY = 8;
let peakRss = 0;
let peakHeap = 0;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (process.env.BENCH_VERBOSE) peakHeap = Math.max(peakHeap, process.memoryUsage().heapTotal);
}, 50);
const phase = (name: string) => {
  if (!process.env.BENCH_VERBOSE) return;
  const m = process.memoryUsage();
  console.log(
    `  [${name}] rss ${(m.rss / 1048576).toFixed(0)} MB, heap total ${(m.heapTotal / 1048576).toFixed(0)} MB (peak ${(peakHeap / 1048576).toFixed(0)}), external ${(m.external / 1048576).toFixed(0)} MB`,
  );
};

interface LoadResult {
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

function load(url: string, data: Record<string, unknown>): Promise<LoadResult> {
  const params = {
    url,
    token: TOKEN,
    concurrency: CONCURRENCY,
    workloads: 100,
    namespaces: 5,
    seed: Math.random().toString(36).slice(2, 8),
    ...data,
  };
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load-worker.mjs', import.meta.url)), [JSON.stringify(params)], {
      execArgv: [],
    });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function config(dbPath: string) {
  const yaml = `
routes:
${[0, 1, 2, 3, 4].map((i) => `  - match: ['namespace="ns${i}"']\n    chat_id: oc_chat${i}\n    oncall: [ou_oncall${i}]`).join('\n')}
`;
  const r = loadConfig(
    { DATABASE_PATH: dbPath, ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, BOT_LOCALE: 'en-US', TZ: 'UTC' },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
}

async function startOurs(dir: string) {
  const cfg = config(join(dir, 'bench.db'));
  const store = Store.open(cfg.database.path);
  const checkpointer = new BackgroundCheckpointer(store.db, cfg.database.path);
  const metrics = new Metrics({ defaultMetrics: false });
  const log = silentLogger();
  const ctx = { config: cfg, log, store, clock: systemClock, metrics };
  const deps = incidentDeps(ctx);
  const http = new HttpServer({ log, metrics });
  const applied = { alerts: 0, firstAt: 0, lastAt: 0, maxLagMs: 0, maxBacklog: 0 };
  const intake = new AlertIntake(deps, {
    onSlice: (s) => {
      const now = performance.now();
      if (applied.alerts === 0) applied.firstAt = now;
      applied.alerts += s.alerts;
      applied.lastAt = now;
      applied.maxLagMs = Math.max(applied.maxLagMs, s.lagMs);
      applied.maxBacklog = Math.max(applied.maxBacklog, s.backlog);
    },
  });
  intake.start();
  mountAlertmanagerWebhook(http.router, { token: TOKEN, accept: (b, raw) => intake.accept(b, raw) });
  const addr = await http.listen(0, '127.0.0.1');
  const close = async () => {
    await http.close();
    await intake.stop();
    await checkpointer.stop();
    store.close();
  };
  /** Waits until everything accepted is applied; returns what was applied since the last call. */
  const settle = async () => {
    await intake.idle();
    const r = { ...applied };
    Object.assign(applied, { alerts: 0, firstAt: 0, lastAt: 0, maxLagMs: 0, maxBacklog: 0 });
    return r;
  };
  return { store, deps, http, intake, close, settle, url: `http://127.0.0.1:${addr.port}/webhooks/alertmanager` };
}

async function startBare() {
  const app = new Koa();
  app.use(bodyReader());
  app.use((ctx) => {
    const body = ctx.request.body as { alerts?: unknown[] };
    ctx.body = { status: 'ok', alerts: body.alerts?.length ?? 0 };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  return { server, url: `http://127.0.0.1:${port}/webhooks/alertmanager` };
}

function summary(r: LoadResult, perBody: number) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const bodies = r.latencies.length / (r.elapsedMs / 1000);
  return {
    bodies: r.latencies.length - r.errors,
    bodiesPerSec: bodies,
    alertsPerSec: bodies * perBody,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    errors: r.errors,
  };
}

/**
 * Saturated throughput, in rounds: bare Koa, then ours, then ours drains its backlog; the ratio is taken per
 * round and the median reported, so a burst of other load on the machine skews one round, not the figure.
 */
async function saturated(perBody: number, ours: Awaited<ReturnType<typeof startOurs>>) {
  const bare = await startBare();
  const rounds: { ratio: number; ours: ReturnType<typeof summary>; bare: ReturnType<typeof summary> }[] = [];
  let applied = { alerts: 0, maxBacklog: 0, maxLagMs: 0 };
  let appliedMs = 0;
  // CPU time of this process (the server's thread and its SQLite checkpoint thread; the load generator is a
  // separate process) per body: a cost figure that other load on the machine does not skew.
  const cpu = { bare: 0, bareBodies: 0, ours: 0, oursBodies: 0 };
  const cpuNow = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  for (let i = 0; i < ROUNDS; i++) {
    let c = cpuNow();
    const baseline = summary(await load(bare.url, { alertsPerBody: perBody, durationMs: SECONDS * 1000 }), perBody);
    cpu.bare += cpuNow() - c;
    cpu.bareBodies += baseline.bodies;
    c = cpuNow();
    const started = performance.now();
    const real = summary(await load(ours.url, { alertsPerBody: perBody, durationMs: SECONDS * 1000 }), perBody);
    const a = await ours.settle();
    cpu.ours += cpuNow() - c;
    cpu.oursBodies += real.bodies;
    appliedMs += performance.now() - started;
    applied = {
      alerts: applied.alerts + a.alerts,
      maxBacklog: Math.max(applied.maxBacklog, a.maxBacklog),
      maxLagMs: Math.max(applied.maxLagMs, a.maxLagMs),
    };
    rounds.push({ ratio: real.bodiesPerSec / baseline.bodiesPerSec, ours: real, bare: baseline });
  }
  bare.server.close();
  const median = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(rounds.length / 2)] as (typeof rounds)[0];
  return {
    median,
    rounds,
    applied,
    appliedSecs: appliedMs / 1000,
    cpuPerBody: { bare: cpu.bare / cpu.bareBodies, ours: cpu.ours / cpu.oursBodies },
  };
}

async function throughput() {
  for (const perBody of [1, 50]) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
    const ours = await startOurs(dir);
    const sat = await saturated(perBody, ours);
    // Latency at the goal rate (2,000 alerts/s; 500 bodies/s for single-alert bodies), paced, not saturated.
    const rate = perBody === 1 ? 500 : 2000 / perBody;
    const paced = summary(
      await load(ours.url, { alertsPerBody: perBody, durationMs: SECONDS * 1000, ratePerSec: rate, concurrency: 32 }),
      perBody,
    );
    const pacedApplied = await ours.settle();
    const stored = ours.store.alerts.count();
    const sent = (sat.rounds.reduce((n, r) => n + r.ours.bodies, 0) + paced.bodies) * perBody;
    await ours.close();
    rmSync(dir, { recursive: true, force: true });
    phase(`${perBody}-alert`);
    const { median } = sat;
    const real = median.ours;
    console.log(
      `${String(perBody).padStart(2)}-alert bodies, saturated (${CONCURRENCY} connections, median of ${ROUNDS} rounds): ` +
        `webhook ${real.alertsPerSec.toFixed(0)} alerts/s (${real.bodiesPerSec.toFixed(0)} req/s, p50 ${real.p50.toFixed(2)} ms, ` +
        `p99 ${real.p99.toFixed(2)} ms, ${real.errors} errors) | bare Koa JSON ${median.bare.bodiesPerSec.toFixed(0)} req/s ` +
        `(p99 ${median.bare.p99.toFixed(2)} ms) | ratio ${median.ratio.toFixed(2)} ` +
        `(rounds: ${sat.rounds.map((r) => r.ratio.toFixed(2)).join(', ')})`,
    );
    console.log(
      `    applied ${sat.applied.alerts} alerts in ${sat.appliedSecs.toFixed(1)} s of loading and draining: ` +
        `${(sat.applied.alerts / sat.appliedSecs).toFixed(0)} alerts/s end to end; most bodies waiting ${sat.applied.maxBacklog}; ` +
        `longest 200 → applied ${(sat.applied.maxLagMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `    server CPU per body: ${sat.cpuPerBody.ours.toFixed(0)} µs acknowledged and applied | bare Koa ` +
        `${sat.cpuPerBody.bare.toFixed(0)} µs | ratio ${(sat.cpuPerBody.bare / sat.cpuPerBody.ours).toFixed(2)}`,
    );
    console.log(
      `${String(perBody).padStart(2)}-alert bodies, paced at ${rate} req/s: ${paced.alertsPerSec.toFixed(0)} alerts/s, ` +
        `p50 ${paced.p50.toFixed(2)} ms, p99 ${paced.p99.toFixed(2)} ms, ${paced.errors} errors; longest 200 → applied ` +
        `${pacedApplied.maxLagMs} ms; ${stored} alerts stored and applied of ${sent} accepted`,
    );
  }
}

async function storm() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-storm-'));
  const ours = await startOurs(dir);
  const drain = startStormDrain(ours.store, ours.deps.log);
  const services = new AlertingServices(ours.deps, undefined);
  services.start();
  const started = performance.now();
  const r = await load(ours.url, { alertsPerBody: 50, totalBodies: 200, ratePerSec: 20, durationMs: 60_000 });
  const ingestMs = performance.now() - started;
  const stormApplied = await ours.settle();
  phase('storm ingested');
  const drained = await drain.finish(30_000);
  await services.stop();
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const stored = ours.store.alerts.count();
  const incidents = ours.store.incidents.list({ limit: 100_000 }).length;
  console.log(
    `storm: ${200 * 50} alerts sent in ${(ingestMs / 1000).toFixed(1)} s (${r.errors} errors, p99 ${pct(sorted, 99).toFixed(2)} ms); ` +
      `${stored} alerts stored and applied; ${incidents} incidents; longest 200 → applied ${stormApplied.maxLagMs} ms`,
  );
  console.log(
    `storm: ${drained.calls} Feishu calls (${Object.entries(drained.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}); ` +
      `busiest chat ${drained.maxPerChatPerSecond} msg in any 1 s (limit 5); outbox drained: ${drained.pending === 0 ? 'yes' : `no, ${drained.pending} pending`}`,
  );
  await ours.close();
  rmSync(dir, { recursive: true, force: true });
  return { stored, maxPerChat: drained.maxPerChatPerSecond };
}

await throughput();
const s = await storm();
clearInterval(rssTimer);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
console.log(
  `peak RSS of this benchmark process ${(peakRss / 1024 / 1024).toFixed(0)} MB (the sources through tsx, with the bare Koa ` +
    `baseline, the recording Feishu fake and every latency sample in it; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'}). ` +
    'The product process under the same storm: npx tsx scripts/bench/serve-rss.ts',
);
console.log(
  `goals: >= 2000 alerts/s, p99 < 20 ms, ratio >= 0.4; storm: every alert stored (${s.stored === 10_000}), <= 5 msg/s per chat (${s.maxPerChat <= 5})`,
);
process.exit(0);
