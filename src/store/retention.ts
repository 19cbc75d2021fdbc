/**
 * Keeps the bookkeeping tables from growing without bound. Delivered outbox rows (sent or superseded) and the
 * ids of handled Feishu events are only needed for a while: Feishu re-pushes an event for about 7 hours, and a
 * sent message matters only for the card it created (live cards live in feishu_cards, which is kept). Raw
 * Alertmanager bodies, once applied, are kept a while for inspection (their alerts live on in `alerts`).
 * Pending and failed rows, incidents, alerts, timelines and the audit log are never pruned here.
 */
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Db } from './db.js';

export interface RetentionPolicy {
  /** Age after which sent/superseded outbox rows go, in ms. */
  outbox: number;
  /** Age after which handled event ids go, in ms. */
  events: number;
  /** Age after which applied Alertmanager bodies go, in ms. */
  webhooks: number;
}

export interface PruneResult {
  outbox: number;
  events: number;
  webhooks: number;
}

export function pruneStore(db: Db, now: number, policy: RetentionPolicy): PruneResult {
  return db.transaction(() => ({
    outbox: db
      .prepare("DELETE FROM outbox WHERE status IN ('sent', 'superseded') AND created_at < ?")
      .run(now - policy.outbox).changes,
    events: db
      .prepare("DELETE FROM processed_events WHERE status = 'handled' AND received_at < ?")
      .run(now - policy.events).changes,
    webhooks: db
      .prepare('DELETE FROM alert_webhooks WHERE processed_at IS NOT NULL AND received_at < ?')
      .run(now - policy.webhooks).changes,
  }))();
}

/** Prunes once at start and then every `intervalMs` on the given clock. */
export class RetentionJob {
  private timer: TimerHandle | undefined;
  private stopped = true;

  constructor(
    private readonly options: {
      db: Db;
      clock: Clock;
      policy: RetentionPolicy;
      intervalMs?: number;
      onPruned?: (result: PruneResult) => void;
      onError?: (err: unknown) => void;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    this.timer = undefined;
    if (this.stopped || !this.options.db.open) return;
    try {
      const result = pruneStore(this.options.db, this.options.clock.now(), this.options.policy);
      if (result.outbox + result.events + result.webhooks > 0) this.options.onPruned?.(result);
    } catch (err) {
      this.options.onError?.(err);
    }
    this.timer = this.options.clock.setTimeout(() => this.run(), this.options.intervalMs ?? 3_600_000);
  }
}
