/**
 * Slash command reply latency: the real app against the Feishu emulator with 5,000 incidents stored; each
 * sample is one p2p message event delivered to the app until the bot's reply is stored by the emulator.
 * `/help` (nothing read from the store) is the baseline measured in the same run; `/restart` goes through a
 * runbook launcher that answers at once, so its figure is the command's own cost. Samples rotate over 50 chats and
 * are paced so that the outbox's Feishu rate limits (5/s per chat, 50/s per app) do not enter the figures.
 *
 *   npx tsx scripts/bench/commands.ts [samples=200]
 *
 * Goal: `/incidents` p99 < 300 ms.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Priority } from '../../src/alerts/model.js';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import type { RunbookLauncher } from '../../src/ports/remediation.js';
import { startFeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

const SAMPLES = Number(process.argv[2] ?? 200);
const INCIDENTS = 5000;
const ALICE = 'ou_84aad35d084aa403a838cf73ee18467a';
/** Replies go through the outbox, which keeps Feishu's limits (5/s per chat, 50/s per app): samples rotate over
 * many chats and start at least PACE_MS apart, so the figures are the command's, not the rate limiter's. */
const CHATS = Array.from({ length: 50 }, (_, i) => `oc_bench_p2p_${i}`);
const PACE_MS = 30;

const emu = await startFeishuEmulator({
  app: { appId: 'cli_bench', appSecret: 'bench-secret', verificationToken: 'bench-token' },
  bot: { openId: 'ou_7b1e4f2a9c3d5e6f8a0b1c2d3e4f5a6b', name: 'SRE Bot' },
  users: [{ openId: ALICE, name: 'Alice' }],
  chats: CHATS.map((chatId) => ({ chatId, name: 'Alice', type: 'p2p' as const, members: [ALICE] })),
});
const dir = mkdtempSync(join(tmpdir(), 'nanobot-cmd-bench-'));
const r = loadConfig(
  {
    FEISHU_APP_ID: 'cli_bench',
    FEISHU_APP_SECRET: 'bench-secret',
    FEISHU_VERIFICATION_TOKEN: 'bench-token',
    FEISHU_DOMAIN: emu.url,
    BOT_LOCALE: 'en-US',
    ALERTMANAGER_WEBHOOK_TOKEN: 'none',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: join(dir, 'db.sqlite'),
    LOG_LEVEL: 'silent',
    SRE_NANOBOT_CONFIG: 'bench.yaml',
  },
  { readFile: () => `people: [{ id: ${ALICE}, roles: [operator] }]\n` },
);
if (!r.ok) throw new Error(r.problems.join('\n'));
const launcher: RunbookLauncher = {
  request: async () => ({ ok: true, runId: 'run_bench', phase: 'awaiting_approval' }),
  catalogue: () => [],
};
const app = await startApp(r.config, {
  log: silentLogger(),
  metrics: new Metrics({ defaultMetrics: false }),
  launcher,
});
const base = `http://127.0.0.1:${app.address.port}`;
emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });

const { store } = app.ctx;
const priorities: Priority[] = ['P0', 'P1', 'P2', 'P3'];
store.tx(() => {
  for (let i = 0; i < INCIDENTS; i++) {
    const inc = store.incidents.create(
      {
        groupKey: `bench-${i}`,
        title: `Bench incident ${i}`,
        priority: priorities[i % 4] as Priority,
        chatId: null,
        namespace: `ns-${i % 20}`,
        cluster: null,
        labels: { alertname: 'BenchAlert', namespace: `ns-${i % 20}` },
        resources: [],
      },
      Date.now() - i * 1000,
    );
    if (i % 3 === 1) store.incidents.update(inc.id, { status: 'resolved', resolvedAt: Date.now() });
  }
});

const bots = (chat: string) => emu.messages(chat).filter((m) => m.sender.type === 'bot').length;
let n = 0;

async function sample(text: string): Promise<number> {
  const chat = CHATS[n++ % CHATS.length] as string;
  const before = bots(chat);
  const t0 = performance.now();
  emu.sendUserMessage({ chatId: chat, from: ALICE, text });
  while (bots(chat) <= before) await new Promise((res) => setImmediate(res));
  const ms = performance.now() - t0;
  if (ms < PACE_MS) await new Promise((res) => setTimeout(res, PACE_MS - ms));
  return ms;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const results: Record<string, number[]> = {};
for (const text of [
  '/help',
  '/incidents',
  '/incidents resolved P1',
  '/status',
  '/status ns-3',
  '/oncall',
  '/restart deploy/web -n ns-1',
]) {
  for (let i = 0; i < 10; i++) await sample(text); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) xs.push(await sample(text));
  results[text] = xs;
}
const baseline = pct(results['/help'] as number[], 50);
console.log(`${INCIDENTS} incidents stored, ${SAMPLES} samples each (message event → reply stored by the emulator)`);
for (const [text, xs] of Object.entries(results)) {
  const p50 = pct(xs, 50);
  const p99 = pct(xs, 99);
  console.log(
    `${text.padEnd(28)} p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms  p50/baseline ${(p50 / baseline).toFixed(2)}`,
  );
}
const ok = pct(results['/incidents'] as number[], 99) < 300;
console.log(`goal /incidents p99 < 300 ms: ${ok ? 'met' : 'NOT met'}`);
await app.stop();
await emu.close();
process.exit(ok ? 0 : 1);
