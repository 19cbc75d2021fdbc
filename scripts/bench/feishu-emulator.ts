/**
 * Feishu emulator delivery cost: N events pushed one after another to a bot built on the node SDK's
 * EventDispatcher (decrypt + signature check) — plain JSON (baseline) vs AES-256-CBC encrypted and signed —
 * and N Open API message sends through the SDK client. Prints mean / p95 per event and the ratio.
 *
 *   npx tsx scripts/bench/feishu-emulator.ts [N]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { startFeishuEmulator } from '../../src/sandbox/feishu/index.js';

const N = Number(process.argv[2] ?? 300);
const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
const USER = { openId: 'ou_bench_user', name: 'Bench' };

async function run(encryptKey: string | undefined): Promise<{ mean: number; p95: number; perSecond: number }> {
  const dispatcher = new lark.EventDispatcher({ ...(encryptKey ? { encryptKey } : {}), logger: quiet }).register({
    'im.message.receive_v1': async () => ({}),
  });
  const handler = lark.adaptDefault('/events', dispatcher, { autoChallenge: true });
  const bot = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
  const emu = await startFeishuEmulator({
    app: {
      appId: 'cli_0000000000000b3c',
      appSecret: 's',
      ...(encryptKey ? { encryptKey } : {}),
      verificationToken: 'vt',
    },
    bot: { openId: 'ou_bench_bot', name: 'Bot' },
    users: [USER],
    chats: [{ chatId: 'oc_bench', name: 'bench', type: 'group', members: [USER.openId] }],
    delivery: { mode: 'webhook', eventsUrl: `http://127.0.0.1:${(bot.address() as AddressInfo).port}/events` },
  });
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const r = await emu.sendUserMessage({ chatId: 'oc_bench', from: USER.openId, text: `hello ${i}`, mentionBot: true })
      .delivered;
    if (!r.ok) throw new Error(`delivery failed: ${r.error}`);
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  await emu.close();
  bot.close();
  times.sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    p95: times[Math.floor(times.length * 0.95)] ?? 0,
    perSecond: (N / total) * 1000,
  };
}

async function sends(): Promise<{ mean: number; perSecond: number }> {
  const chats = Array.from({ length: 10 }, (_, i) => ({
    chatId: `oc_b${i}`,
    name: `b${i}`,
    type: 'group' as const,
    members: [],
  }));
  // A clock running 100× faster keeps the per-chat (5/s) and per-app (50/s) windows from throttling the bench.
  const t0 = Date.now();
  const fast = {
    now: () => t0 + (Date.now() - t0) * 100,
    setTimeout: (fn: () => void, ms: number) => ({ id: setTimeout(fn, ms / 100) }),
    clearTimeout: (h: { id: unknown }) => clearTimeout(h.id as NodeJS.Timeout),
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms / 100)),
  };
  const emu = await startFeishuEmulator({
    app: { appId: 'cli_0000000000000b3d', appSecret: 's' },
    bot: { openId: 'ou_bench_bot', name: 'Bot' },
    users: [],
    chats,
    clock: fast,
  });
  const client = new lark.Client({ appId: emu.app.appId, appSecret: 's', domain: emu.url, logger: quiet });
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: `oc_b${i % 10}`, msg_type: 'text', content: JSON.stringify({ text: `m${i}` }) },
    });
  }
  const total = performance.now() - started;
  await emu.close();
  return { mean: total / N, perSecond: (N / total) * 1000 };
}

const fmt = (n: number) => n.toFixed(2);
const plain = await run(undefined);
const sealed = await run('bench-encrypt-key');
const api = await sends();
console.log(`events, N=${N}, sequential, SDK EventDispatcher bot over loopback`);
console.log(
  `  plain JSON (baseline): mean ${fmt(plain.mean)} ms, p95 ${fmt(plain.p95)} ms, ${fmt(plain.perSecond)} events/s`,
);
console.log(
  `  encrypted + signed:    mean ${fmt(sealed.mean)} ms, p95 ${fmt(sealed.p95)} ms, ${fmt(sealed.perSecond)} events/s`,
);
console.log(`  ratio encrypted/plain: ${fmt(sealed.mean / plain.mean)}×`);
console.log(
  `Open API im.message.create via the SDK client, N=${N}: mean ${fmt(api.mean)} ms, ${fmt(api.perSecond)} calls/s`,
);
console.log(`  ratio create/plain-event: ${fmt(api.mean / plain.mean)}×`);
