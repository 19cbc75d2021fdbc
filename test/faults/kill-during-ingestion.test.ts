/**
 * kill -9 of the bot at random points during a 1,000-alert ingestion and while its outbox drains. Alertmanager's
 * behaviour is kept: a body that did not get a 200 is sent again. After the last restart, every body that got a
 * 200 is applied exactly once, no card is posted twice, and the outbox drains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody } from '../../src/sandbox/demo/alertmanager.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ONCALL_CHAT, startTestEmulator } from '../helpers/feishu-emulator.js';
import { type FaultBot, faultBot, rng, TOKEN, until } from './bot-under-fault.js';

const ALERTS = 1000;
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);

const bodies = Array.from({ length: ALERTS }, (_, i) =>
  webhookBody(
    [
      {
        labels: {
          alertname: 'KubePodCrashLooping',
          cluster: 'faults',
          namespace: `ns-${i % 5}`,
          pod: `app${i % 25}-7d9f8b6c5-x${String(i).padStart(4, '0')}`.replace(/[013aeiou]/g, 'z'),
          container: 'app',
          severity: 'warning',
          idx: String(i),
        },
        annotations: { summary: 'Pod is crash looping.' },
        startsAt: new Date(Date.parse('2026-12-01T08:00:00Z') + i * 1000),
      },
    ],
    { groupBy: ['alertname', 'namespace'] },
  ),
);

async function post(url: string, i: number): Promise<number> {
  try {
    const res = await fetch(`${url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(bodies[i]),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

describe('kill -9 during ingestion and while the outbox drains', () => {
  let emu: FeishuEmulator;
  let bot: FaultBot;
  const status = new Array<number>(ALERTS).fill(0);
  beforeAll(async () => {
    emu = await startTestEmulator();
    bot = faultBot(emu);
  });
  afterAll(async () => {
    await bot?.stop();
    await emu?.close();
  });

  /** Sends every body not yet answered 200, 8 at a time; with `killAfter`, kill -9 after that many new 200s. */
  async function pump(url: string, killAfter?: number): Promise<void> {
    const queue = status.flatMap((s, i) => (s === 200 ? [] : [i]));
    let ok = 0;
    let dead = false;
    const worker = async () => {
      while (!dead && queue.length > 0) {
        const i = queue.shift() as number;
        const s = await post(url, i);
        if (s === 200) status[i] = 200;
        else if (s === 0)
          dead = true; // the process is gone: Alertmanager keeps it for the next attempt
        else throw new Error(`body ${i} answered ${s}`);
        if (s === 200 && killAfter !== undefined && ++ok === killAfter) void bot.kill9();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }

  it(`every 200'd body is applied once, no card twice, the outbox drains (seed ${SEED})`, {
    timeout: 240_000,
  }, async () => {
    const random = rng(SEED);
    for (let round = 0; round < 2; round++) {
      const url = await bot.start();
      await pump(url, 50 + Math.floor(random() * 250));
      await bot.current()?.exited;
    }
    // Ingest the rest, then die while the outbox is part way through sending.
    const url = await bot.start();
    await pump(url);
    expect(status.every((s) => s === 200)).toBe(true);
    const outbox = () =>
      bot.query<{ status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status');
    const count = (s: string) => outbox().find((r) => r.status === s)?.n ?? 0;
    await bot.killWhen(() => count('sent') > 0 && count('pending') > 0);

    await bot.start();
    const applied = () => bot.query<{ n: number }>('SELECT count(DISTINCT fingerprint) AS n FROM alerts')[0]?.n ?? 0;
    await until('every alert applied', () => applied() === ALERTS, 120_000);
    await until('the outbox to drain', () => count('pending') === 0, 120_000);

    // Exactly once: one row (one firing episode) per fingerprint, for all 1,000.
    const perFingerprint = bot.query<{ fingerprint: string; n: number }>(
      'SELECT fingerprint, count(*) AS n FROM alerts GROUP BY fingerprint HAVING n > 1',
    );
    expect(perFingerprint).toEqual([]);
    const expected = new Set(bodies.map((b) => b.alerts[0]?.fingerprint));
    const stored = new Set(
      bot.query<{ fingerprint: string }>('SELECT fingerprint FROM alerts').map((r) => r.fingerprint),
    );
    expect(stored).toEqual(expected);
    expect(count('failed')).toBe(0);

    // No card twice: each incident's card appears once in the chat (re-sends carried the same uuid).
    const ids = emu
      .messages(ONCALL_CHAT)
      .filter((m) => m.msgType === 'interactive')
      .flatMap((m) => /"content":"#(\d+) ·/.exec(m.content)?.[1] ?? []);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBe(new Set(ids).size);
    const uuids = emu.messages(ONCALL_CHAT).flatMap((m) => (m.uuid ? [m.uuid] : []));
    expect(uuids.length).toBe(new Set(uuids).size);
  });
});
