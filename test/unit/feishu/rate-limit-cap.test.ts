/** An absurd `x-ogw-ratelimit-reset` (600 s) pauses sending for a minute at most, is retried, and is logged. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_RATE_LIMIT_WAIT_MS, toFeishuError } from '../../../src/feishu/errors.js';
import { messageUuid } from '../../../src/feishu/message-uuid.js';
import { OutboxWorker } from '../../../src/feishu/outbox-worker.js';
import { createLogger } from '../../../src/shared/log.js';
import { Store } from '../../../src/store/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeFeishu, httpError } from '../../helpers/fake-feishu.js';

const rateLimited = (reset: string) => httpError(429, 99991400, { 'x-ogw-ratelimit-reset': reset });

describe('rate-limit waits', () => {
  it('takes a sane reset as given and caps an absurd one, saying so', () => {
    expect(toFeishuError('im.message.create', rateLimited('3')).retryAfterMs).toBe(3000);
    expect(toFeishuError('im.message.create', rateLimited('3')).message).not.toContain('at most');
    for (const absurd of ['600', '86400', 'Infinity']) {
      const e = toFeishuError('im.message.create', rateLimited(absurd));
      expect(e.retryAfterMs, absurd).toBe(MAX_RATE_LIMIT_WAIT_MS);
      expect(e.message).toContain(`x-ogw-ratelimit-reset asked for ${absurd} s, waiting 60 s at most`);
    }
    expect(toFeishuError('im.message.create', rateLimited('-5')).retryAfterMs).toBe(0);
    expect(toFeishuError('im.message.create', rateLimited('soon')).retryAfterMs).toBeUndefined();
  });

  it('a 429 asking for 600 s holds the app for a minute, not ten, then sends everything; the log says so', async () => {
    const clock = new FakeClock();
    const store = Store.open(':memory:');
    const feishu = new FakeFeishu(() => clock.now());
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const worker = new OutboxWorker({ store, feishu, clock, log: createLogger('warn', sink), random: () => 0 });
    feishu.failNext.push(rateLimited('600'));
    const t0 = clock.now();
    store.outbox.enqueueMessage({ kind: 'send_text', chatId: 'oc_a', text: 'first' }, t0);
    store.outbox.enqueueMessage({ kind: 'send_text', chatId: 'oc_b', text: 'other chat' }, t0);
    for (let t = 0; t < 120_000 && feishu.calls.length < 2; t += 500) {
      await worker.tick();
      await clock.advance(500);
    }
    expect(feishu.calls.map((c) => c.text).sort()).toEqual(['first', 'other chat']);
    const last = Math.max(...feishu.calls.map((c) => c.at)) - t0;
    expect(last).toBeGreaterThanOrEqual(MAX_RATE_LIMIT_WAIT_MS);
    expect(last).toBeLessThan(MAX_RATE_LIMIT_WAIT_MS + 2000);
    const warning = lines.map((l) => JSON.parse(l) as { msg: string; waitMs?: number }).find((l) => l.waitMs);
    expect(warning?.msg).toContain('asked for 600 s, waiting 60 s at most');
    expect(warning?.waitMs).toBe(MAX_RATE_LIMIT_WAIT_MS);
  });
});

describe('message uuid', () => {
  it('is the same for every attempt of a row, differs between databases reusing ids, and fits in 50 characters', () => {
    const row = { id: 7, createdAt: Date.parse('2026-11-25T08:00:00Z') };
    expect(messageUuid(row)).toBe(messageUuid({ ...row }));
    expect(messageUuid(row)).not.toBe(messageUuid({ id: 7, createdAt: row.createdAt + 1 }));
    expect(
      messageUuid({ id: 2 ** 31, createdAt: Date.parse('2099-12-31T23:59:59Z') }, 'fallback').length,
    ).toBeLessThanOrEqual(50);
  });
});
