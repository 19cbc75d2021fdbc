/**
 * Feishu event acknowledgement under load: 200 concurrent deliveries of signed, encrypted
 * `im.message.receive_v1` events to the real receiver (`POST /feishu/events`: decrypt, verify signature and
 * token, dedupe in SQLite, queue, answer), against a bare Koa handler (read body, parse JSON, answer `{}`)
 * measured in the same run on the same machine. The deliveries come from a separate process (as Feishu's
 * pushers are), over one warmed keep-alive pool per server.
 *
 *   npx tsx scripts/bench/feishu-events.ts [events=4000] [concurrency=200]
 *
 * Goal: p99 ack < 50 ms, events/s ratio (receiver / bare Koa) >= 0.5.
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import type { AppContext } from '../../src/app/context.js';
import { Router } from '../../src/app/router.js';
import { loadConfig } from '../../src/config.js';
import { encryptEvent, signBody } from '../../src/feishu/crypto.js';
import { FeishuReceiver } from '../../src/feishu/receiver.js';
import { mountFeishuRoutes } from '../../src/feishu/routes.js';
import { WorkQueue } from '../../src/feishu/work-queue.js';
import { HttpServer } from '../../src/http/server.js';
import { systemClock } from '../../src/ports/clock.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { Store } from '../../src/store/index.js';

const EVENTS = Number(process.argv[2] ?? 4000);
const CONCURRENCY = Number(process.argv[3] ?? 200);
const KEY = 'bench-encrypt-key';
const TOKEN = 'vt_bench';
const BOT = 'ou_bench_bot';

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

function delivery(i: number, run: string): Delivery {
  const event = {
    schema: '2.0',
    header: {
      event_id: `ev_${run}_${i}`,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: TOKEN,
      app_id: 'cli_a5f3c2e1d4b60789',
      tenant_key: 't',
    },
    event: {
      sender: { sender_id: { open_id: 'ou_user' }, sender_type: 'user' },
      message: {
        message_id: `om_${run}_${i}`,
        chat_id: 'oc_bench',
        chat_type: 'group',
        message_type: 'text',
        content: JSON.stringify({ text: `@_user_1 status of checkout ${i}` }),
        mentions: [{ key: '@_user_1', id: { open_id: BOT }, name: 'SRE Bot' }],
      },
    },
  };
  const body = JSON.stringify({ encrypt: encryptEvent(KEY, JSON.stringify(event)) });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = `n${i}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signBody(ts, nonce, KEY, body),
    },
  };
}

async function load(
  port: number,
  deliveries: Delivery[],
  agent: Agent,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const d = deliveries[next++];
      if (!d) return;
      const t0 = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/feishu/events', method: 'POST', headers: d.headers, agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(d.body);
      });
      if (status !== 200) throw new Error(`delivery answered ${status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { latencies, seconds };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function bareKoa(): Promise<{ port: number; close: () => Promise<void> }> {
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    ctx.body = {};
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function receiverServer(): Promise<{ port: number; close: () => Promise<void>; handled: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-feishu-'));
  const r = loadConfig(
    {
      FEISHU_ENCRYPT_KEY: KEY,
      FEISHU_VERIFICATION_TOKEN: TOKEN,
      DATABASE_PATH: join(dir, 'db.sqlite'),
      LOG_LEVEL: 'silent',
    },
    { readFile: () => undefined },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  const store = Store.open(r.config.database.path);
  const ctx: AppContext = {
    config: r.config,
    log: silentLogger(),
    store,
    clock: systemClock,
    metrics: new Metrics({ defaultMetrics: false }),
  };
  let handled = 0;
  const router = new Router().onMessage(async () => {
    handled++;
  });
  const receiver = new FeishuReceiver({
    ctx,
    router,
    botOpenId: async () => BOT,
    queue: new WorkQueue(4, 100_000),
  });
  const http = new HttpServer({ log: ctx.log, metrics: ctx.metrics });
  mountFeishuRoutes(http.router, receiver);
  const addr = await http.listen(0, '127.0.0.1');
  return {
    port: addr.port,
    handled: () => handled,
    close: async () => {
      await receiver.idle();
      await http.close();
      store.close();
    },
  };
}

type LoadRequest = { port: number; run: string; count: number; warmup: number };
type LoadResult = { latencies: number[]; seconds: number };

/** The loader process: builds the deliveries, warms the pool up, then measures. */
async function loader(): Promise<void> {
  const agents = new Map<number, Agent>();
  process.on('message', async (msg: LoadRequest | 'exit') => {
    if (msg === 'exit') {
      for (const a of agents.values()) a.destroy();
      process.exit(0);
    }
    let agent = agents.get(msg.port);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      agents.set(msg.port, agent);
    }
    await load(
      msg.port,
      Array.from({ length: msg.warmup }, (_, i) => delivery(i, `${msg.run}w`)),
      agent,
    );
    const deliveries = Array.from({ length: msg.count }, (_, i) => delivery(i, msg.run));
    const result = await load(msg.port, deliveries, agent);
    process.send?.(result);
  });
}

async function main(): Promise<void> {
  console.log(`feishu-events bench: ${EVENTS} events, ${CONCURRENCY} concurrent deliveries (Node ${process.version})`);
  const bare = await bareKoa();
  const gw = await receiverServer();
  const child = fork(process.argv[1] as string, [String(EVENTS), String(CONCURRENCY), 'loader'], {
    execArgv: process.execArgv,
  });
  const measure = (port: number, run: string) =>
    new Promise<LoadResult>((resolve, reject) => {
      child.once('message', (r) => resolve(r as LoadResult));
      child.once('error', reject);
      child.send({ port, run, count: EVENTS, warmup: 400 } satisfies LoadRequest);
    });
  const bareRun = await measure(bare.port, 'b');
  const gwRun = await measure(gw.port, 'g');
  child.send('exit');
  await gw.close();
  await bare.close();

  const show = (name: string, run: LoadResult) => {
    const sorted = [...run.latencies].sort((a, b) => a - b);
    const eps = run.latencies.length / run.seconds;
    console.log(
      `${name.padEnd(22)} ${eps.toFixed(0).padStart(6)} events/s   ack p50 ${pct(sorted, 50).toFixed(1)} ms   p99 ${pct(sorted, 99).toFixed(1)} ms`,
    );
    return { eps, p99: pct(sorted, 99) };
  };
  const b = show('bare Koa handler', bareRun);
  const g = show('Feishu receiver', gwRun);
  const ratio = g.eps / b.eps;
  console.log(
    `ratio receiver/bare: ${ratio.toFixed(2)} (goal >= 0.5)   receiver p99: ${g.p99.toFixed(1)} ms (goal < 50 ms)`,
  );
  console.log(`handled after ack: ${gw.handled()} of ${EVENTS + 400}`);
}

if (process.argv[4] === 'loader') await loader();
else await main();
