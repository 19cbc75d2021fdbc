import { describe, expect, it } from 'vitest';
import { FeishuApiError } from '../../../src/feishu/errors.js';
import { OutboxWorker } from '../../../src/feishu/outbox-worker.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Store } from '../../../src/store/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeFeishu, httpError } from '../../helpers/fake-feishu.js';

function setup(store = Store.open(':memory:'), clock = new FakeClock()) {
  const feishu = new FakeFeishu(() => clock.now());
  const worker = new OutboxWorker({ store, feishu, clock, log: silentLogger(), random: () => 0.5 });
  const text = (chatId: string, t: string) =>
    store.outbox.enqueueMessage({ kind: 'send_text', chatId, text: t }, clock.now());
  /** Runs the worker for `ms` of fake time in `step` increments. */
  const run = async (ms: number, step = 10) => {
    for (let t = 0; t < ms; t += step) {
      await worker.tick();
      await clock.advance(step);
    }
  };
  return { store, clock, feishu, worker, text, run };
}

function maxInAnyWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] as number;
    best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return best;
}

describe('outbox worker', () => {
  it('sends a chat in order, at most 5 per second, and records message ids', async () => {
    const { feishu, text, run, store } = setup();
    for (let i = 0; i < 20; i++) text('oc_a', `m${i}`);
    await run(5000);
    expect(feishu.calls.map((c) => c.text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(maxInAnyWindow(feishu.calls.map((c) => c.at))).toBeLessThanOrEqual(5);
    expect(store.outbox.countByStatus()).toMatchObject({ pending: 0, sent: 20 });
    expect(feishu.calls.every((c) => c.uuid?.startsWith('sre-nanobot-outbox-'))).toBe(true);
  });

  it('keeps the whole app under 50 requests per second across chats', async () => {
    const { feishu, text, run } = setup();
    for (let i = 0; i < 120; i++) text(`oc_${i}`, 'hi');
    await run(4000);
    expect(feishu.calls).toHaveLength(120);
    expect(maxInAnyWindow(feishu.calls.map((c) => c.at))).toBeLessThanOrEqual(50);
  });

  it('a patch goes to the card sent for the same key, and queued patches coalesce into one', async () => {
    const { feishu, store, clock, run } = setup();
    const card = (v: string) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [], v } });
    store.outbox.enqueueMessage(
      { kind: 'send_card', chatId: 'oc_a', cardKey: 'incident:1', card: card('0') },
      clock.now(),
    );
    for (const v of ['1', '2', '3']) {
      store.outbox.enqueueMessage(
        { kind: 'patch_card', chatId: 'oc_a', cardKey: 'incident:1', card: card(v) },
        clock.now(),
      );
    }
    await run(2000);
    const [send, ...patches] = feishu.calls;
    expect(send?.op).toBe('sendCard');
    expect(patches.map((p) => [p.op, p.messageId, (p.card as { body: { v: string } }).body.v])).toEqual([
      ['patchCard', 'om_fake_1', '3'],
    ]);
    expect(store.cards.messageId('incident:1')).toBe('om_fake_1');
  });

  it('a patch that failed while newer patches queued is replaced by the newest: one PATCH after the outage', async () => {
    const { feishu, store, clock, run } = setup();
    const card = (v: string) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [], v } });
    store.outbox.enqueueMessage(
      { kind: 'send_card', chatId: 'oc_a', cardKey: 'incident:2', card: card('0') },
      clock.now(),
    );
    await run(100);
    feishu.failNext.push(httpError(500, 0));
    store.outbox.enqueueMessage(
      { kind: 'patch_card', chatId: 'oc_a', cardKey: 'incident:2', card: card('1') },
      clock.now(),
    );
    await run(100);
    for (const v of ['2', '3']) {
      store.outbox.enqueueMessage(
        { kind: 'patch_card', chatId: 'oc_a', cardKey: 'incident:2', card: card(v) },
        clock.now(),
      );
    }
    await run(5000);
    const patches = feishu.calls.filter((c) => c.op === 'patchCard');
    expect(patches.map((p) => (p.card as { body: { v: string } }).body.v)).toEqual(['3']);
    expect(store.outbox.countByStatus()).toMatchObject({ pending: 0, sent: 2, superseded: 2 });
  });

  it('retries 5xx and timeouts with backoff, honours x-ogw-ratelimit-reset, and keeps order', async () => {
    const { feishu, text, run, clock } = setup();
    const t0 = clock.now();
    feishu.failNext.push(
      httpError(500, 0),
      Object.assign(new Error('timeout of 10000ms exceeded'), { code: 'ECONNABORTED' }),
      httpError(429, 99991400, { 'x-ogw-ratelimit-reset': '3' }),
    );
    text('oc_a', 'first');
    text('oc_a', 'second');
    await run(20_000, 50);
    expect(feishu.calls.map((c) => c.text)).toEqual(['first', 'second']);
    // backoff 0.75 s + 1.5 s, then the 3 s the gateway asked for
    expect((feishu.calls[0]?.at ?? 0) - t0).toBeGreaterThanOrEqual(750 + 1500 + 3000);
  });

  it('a per-chat limit (230020) pauses that chat only', async () => {
    const { feishu, text, run } = setup();
    feishu.failNext.push(httpError(400, 230020, { 'x-ogw-ratelimit-reset': '2' }));
    text('oc_busy', 'a');
    text('oc_other', 'b');
    await run(5000);
    expect(feishu.calls.map((c) => [c.chatId, c.text])).toEqual([
      ['oc_other', 'b'],
      ['oc_busy', 'a'],
    ]);
  });

  it('gives up on a permanent error with an audit row and a remedy, and moves on', async () => {
    const { feishu, text, run, store } = setup();
    feishu.failNext.push(httpError(400, 230002));
    const failedId = text('oc_gone', 'lost');
    text('oc_gone', 'next');
    await run(1000);
    expect(store.outbox.get(failedId)?.status).toBe('failed');
    const [audit] = store.audit.list({ action: 'feishu.send_failed' });
    expect(audit).toMatchObject({ target: 'oc_gone', decision: 'gave_up' });
    expect(String(audit?.detail.remedy)).toMatch(/add the bot to the chat/);
    expect(feishu.calls.map((c) => c.text)).toEqual(['next']);
  });

  it('keeps messages queued while no tenant token can be obtained (a config error is not a lost message)', async () => {
    const { feishu, text, run, store } = setup();
    feishu.failNext.push(
      new FeishuApiError('tenant_access_token', 'tenant_access_token failed: code 10014', 10014, 400, undefined),
    );
    const id = text('oc_a', 'hello');
    await run(3000);
    expect(store.outbox.get(id)?.status).toBe('sent');
    expect(store.audit.list({ action: 'feishu.send_failed' })).toEqual([]);
  });

  it('survives a restart: a new worker on the same database sends what is left, nothing twice', async () => {
    const first = setup();
    for (let i = 0; i < 10; i++) first.text('oc_a', `m${i}`);
    await first.run(500);
    const sentBefore = first.feishu.calls.map((c) => c.text);
    expect(sentBefore.length).toBeGreaterThan(0);
    expect(sentBefore.length).toBeLessThan(10);
    const second = setup(first.store, first.clock);
    await second.run(3000);
    expect([...sentBefore, ...second.feishu.calls.map((c) => c.text)]).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
  });

  it('runs on its own once started and stops cleanly', async () => {
    const store = Store.open(':memory:');
    const { systemClock } = await import('../../../src/ports/clock.js');
    const feishu = new FakeFeishu(() => Date.now());
    const worker = new OutboxWorker({ store, feishu, clock: systemClock, log: silentLogger(), pollMs: 20 });
    worker.start();
    store.outbox.enqueueMessage({ kind: 'send_text', chatId: 'oc_a', text: 'hello' }, Date.now());
    worker.poke();
    for (let i = 0; i < 200 && feishu.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(feishu.calls.map((c) => c.text)).toEqual(['hello']);
  });
});
