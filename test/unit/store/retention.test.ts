import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/index.js';
import { pruneStore, RetentionJob } from '../../../src/store/retention.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const DAY = 86_400_000;
const policy = { outbox: 7 * DAY, events: 3 * DAY, webhooks: 14 * DAY };

function seeded(now: number) {
  const store = Store.open(':memory:');
  const old = now - 10 * DAY;
  const sent = store.outbox.enqueue({ chatId: 'oc', kind: 'send_text', payload: { text: 'old' } }, old);
  store.outbox.markSent(sent, 'om_1', old);
  const failed = store.outbox.enqueue({ chatId: 'oc', kind: 'send_text', payload: { text: 'failed' } }, old);
  store.outbox.markFailed(failed, '230002');
  const pending = store.outbox.enqueue({ chatId: 'oc2', kind: 'send_text', payload: { text: 'waiting' } }, old);
  const fresh = store.outbox.enqueue({ chatId: 'oc3', kind: 'send_text', payload: { text: 'new' } }, now);
  store.outbox.markSent(fresh, 'om_2', now);
  store.events.claim('om_old', 'im.message.receive_v1', '{}', old);
  store.events.markHandled('om_old');
  store.events.claim('om_failed', 'im.message.receive_v1', '{}', old);
  store.events.markFailed('om_failed', 'boom');
  store.events.claim('om_new', 'im.message.receive_v1', '{}', now);
  store.events.markHandled('om_new');
  const body = { groupKey: 'g', status: 'firing', alertCount: 1, body: '{}' };
  const applied = store.alerts.recordWebhook(body, now - 20 * DAY);
  store.alerts.markWebhooksProcessed([applied], now - 20 * DAY);
  const unapplied = store.alerts.recordWebhook(body, now - 20 * DAY); // failed or waiting: kept
  const recent = store.alerts.recordWebhook(body, now - DAY);
  store.alerts.markWebhooksProcessed([recent], now - DAY);
  return { store, sent, failed, pending, fresh, unapplied, recent };
}

describe('retention', () => {
  it('prunes old delivered rows and handled event ids, never pending or failed ones', () => {
    const now = Date.parse('2026-11-25T08:00:00Z');
    const { store, sent, failed, pending, fresh, unapplied, recent } = seeded(now);
    expect(pruneStore(store.db, now, policy)).toEqual({ outbox: 1, events: 1, webhooks: 1 });
    const bodies = store.db.prepare('SELECT id FROM alert_webhooks ORDER BY id').all() as { id: number }[];
    expect(bodies.map((b) => b.id)).toEqual([unapplied, recent]);
    expect(store.outbox.get(sent)).toBeUndefined();
    expect(store.outbox.get(failed)?.status).toBe('failed');
    expect(store.outbox.get(pending)?.status).toBe('pending');
    expect(store.outbox.get(fresh)?.status).toBe('sent');
    expect(store.events.get('om_old')).toBeUndefined();
    expect(store.events.get('om_failed')?.status).toBe('failed');
    expect(store.events.get('om_new')?.status).toBe('handled');
    // A pruned event id is far past Feishu's re-push window: a claim now would be a genuinely new event.
    expect(pruneStore(store.db, now, policy)).toEqual({ outbox: 0, events: 0, webhooks: 0 });
  });

  it('runs at start and then on its interval until stopped', async () => {
    const clock = new FakeClock();
    const { store } = seeded(clock.now());
    const runs: unknown[] = [];
    const job = new RetentionJob({ db: store.db, clock, policy, intervalMs: 3_600_000, onPruned: (r) => runs.push(r) });
    job.start();
    expect(runs).toEqual([{ outbox: 1, events: 1, webhooks: 1 }]);
    const late = store.outbox.enqueue({ chatId: 'oc', kind: 'send_text', payload: {} }, clock.now() - 8 * DAY);
    store.outbox.markSent(late, 'om_3', clock.now());
    await clock.advance(3_600_000);
    expect(runs).toEqual([
      { outbox: 1, events: 1, webhooks: 1 },
      { outbox: 1, events: 0, webhooks: 0 },
    ]);
    job.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});
