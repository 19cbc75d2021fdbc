/**
 * Approve clicks under load: the real app against the Feishu emulator and the cluster simulator, 50 runs of
 * `deployment-scale` waiting for approval on 50 deployments, then 50 Approve clicks at once (signed callbacks,
 * each by an approver) — the figures are click → toast and approve → the first write reaching the cluster (the
 * tool's applied call in the audit log). The baseline, in the same run, is 50 concurrent clicks of a button the
 * router refuses at once (the signed-callback path with a bare handler).
 *
 *   npx tsx scripts/bench/approvals.ts [runs=50]
 *
 * Goal: click → toast p99 < 300 ms.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import { startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { startFeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

const RUNS = Number(process.argv[2] ?? 50);
const OPERATOR = 'ou_84aad35d084aa403a838cf73ee18467a';
const APPROVER = 'ou_3c14f3a59eaf2825dbe25359f15d7e21';
const CHATS = Array.from({ length: 10 }, (_, i) => `oc_bench_runs_${i}`);

const dir = mkdtempSync(join(tmpdir(), 'nanobot-approvals-bench-'));
const sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig'), world: { tickMs: 500, seed: 1 } });
for (let i = 0; i < RUNS; i++) {
  sim.store.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `bench-${i}`, namespace: 'shop', labels: { app: `bench-${i}` } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: `bench-${i}` } },
      template: {
        metadata: { labels: { app: `bench-${i}` } },
        spec: { containers: [{ name: 'app', image: 'registry.local/shop/cart:1.8.2' }] },
      },
    },
  });
}
const emu = await startFeishuEmulator({
  app: { appId: 'cli_bench_approvals', appSecret: 'bench-secret', verificationToken: 'bench-token' },
  bot: { openId: 'ou_7b1e4f2a9c3d5e6f8a0b1c2d3e4f5a6b', name: 'SRE Bot' },
  users: [
    { openId: OPERATOR, name: 'Olga' },
    { openId: APPROVER, name: 'Abe' },
  ],
  chats: CHATS.map((chatId) => ({ chatId, name: chatId, type: 'group' as const, members: [OPERATOR, APPROVER] })),
});
const r = loadConfig(
  {
    FEISHU_APP_ID: 'cli_bench_approvals',
    FEISHU_APP_SECRET: 'bench-secret',
    FEISHU_VERIFICATION_TOKEN: 'bench-token',
    FEISHU_DOMAIN: emu.url,
    BOT_LOCALE: 'en-US',
    ALERTMANAGER_WEBHOOK_TOKEN: 'none',
    HOST: '127.0.0.1',
    PORT: '0',
    KUBECONFIG: join(dir, 'kubeconfig'),
    DATABASE_PATH: join(dir, 'db.sqlite'),
    LOG_LEVEL: 'silent',
    SRE_NANOBOT_CONFIG: 'bench.yaml',
  },
  {
    readFile: () => `people:\n  - { id: ${OPERATOR}, roles: [operator] }\n  - { id: ${APPROVER}, roles: [approver] }\n`,
  },
);
if (!r.ok) throw new Error(r.problems.join('\n'));
const app = await startApp(r.config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
const base = `http://127.0.0.1:${app.address.port}`;
emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/card`, cardUrl: `${base}/feishu/card` });
const { store } = app.ctx;
const launcher = app.ctx.launcher;
if (!launcher) throw new Error('no launcher');

const runs: { runId: string; approvalId: string; messageId: string; target: string }[] = [];
for (let i = 0; i < RUNS; i++) {
  const res = await launcher.request({
    runbookId: 'deployment-scale',
    params: { namespace: 'shop', deployment: `bench-${i}`, replicas: '2', previous_replicas: '1' },
    requester: { openId: OPERATOR, person: { id: OPERATOR, roles: ['operator'] } },
    chatId: CHATS[i % CHATS.length] as string,
    source: 'command',
  });
  if (!res.ok || !res.approvalId) throw new Error(`request ${i}: ${JSON.stringify(res)}`);
  runs.push({ runId: res.runId, approvalId: res.approvalId, messageId: '', target: `bench-${i}` });
}
const deadline = Date.now() + 60_000;
for (const run of runs) {
  for (;;) {
    const id = store.cards.messageId(`run:${run.runId}`);
    if (id) {
      run.messageId = id;
      break;
    }
    if (Date.now() > deadline) throw new Error('run cards were not sent in time');
    await new Promise((res) => setTimeout(res, 20));
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

async function clicks(value: (i: number) => unknown): Promise<{ ms: number[]; started: number[]; toasts: string[] }> {
  const started: number[] = [];
  const out = await Promise.all(
    runs.map(async (run, i) => {
      started[i] = Date.now();
      const t0 = performance.now();
      const res = await emu.clickButton({ messageId: run.messageId, operator: APPROVER, value: value(i) });
      return { ms: performance.now() - t0, toast: res.toast?.content ?? `(no toast: ${JSON.stringify(res.error)})` };
    }),
  );
  return { ms: out.map((o) => o.ms), started, toasts: out.map((o) => o.toast) };
}

// Warm-up of the callback path, then the baseline and the measured clicks.
await clicks(() => ({ action: 'bench_noop' }));
const bare = await clicks(() => ({ action: 'bench_noop' }));
const approve = await clicks((i) => ({ action: 'approve', approvalId: runs[i]?.approvalId }));
const approved = approve.toasts.filter((t) => t.startsWith('Approved:')).length;

const firstWrite: number[] = [];
const writeDeadline = Date.now() + 60_000;
for (const [i, run] of runs.entries()) {
  for (;;) {
    const row = store.audit
      .list({ action: 'tool:k8s.workload_scale', limit: 1000 })
      .find((a) => a.decision === 'allow' && a.detail.dryRun !== true && a.target?.endsWith(`/${run.target}`));
    if (row) {
      firstWrite.push(row.at - (approve.started[i] ?? row.at));
      break;
    }
    if (Date.now() > writeDeadline) throw new Error(`no write for ${run.target}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

const fmt = (n: number) => `${n.toFixed(1)} ms`;
console.log(`approvals benchmark: ${RUNS} concurrent clicks on ${RUNS} different approvals (${approved} approved)`);
console.log(`  bare signed callback (baseline)  p50 ${fmt(pct(bare.ms, 50))}  p99 ${fmt(pct(bare.ms, 99))}`);
console.log(
  `  approve click → toast            p50 ${fmt(pct(approve.ms, 50))}  p99 ${fmt(pct(approve.ms, 99))}  (goal p99 < 300 ms)`,
);
console.log(`  ratio approve / baseline p99     ${(pct(approve.ms, 99) / pct(bare.ms, 99)).toFixed(2)}×`);
console.log(`  approve → first write            p50 ${fmt(pct(firstWrite, 50))}  p99 ${fmt(pct(firstWrite, 99))}`);
if (approved !== RUNS)
  console.log(
    `  WARNING: ${RUNS - approved} clicks were not approvals: ${approve.toasts.find((t) => !t.startsWith('Approved:'))}`,
  );

await app.stop();
await emu.close();
await sim.close();
