/**
 * The Alertmanager webhook's durable intake.
 *
 * `accept` appends the raw body to SQLite and resolves once it is committed: that is when the webhook answers
 * 200, so an acknowledged alert is never lost. Bodies that arrive together share one transaction (group
 * commit). Applying them — grading, grouping, incidents, cards — runs right after, in arrival order and as of
 * the time each was received, in slices of a few milliseconds. While bodies keep arriving, applying takes at
 * most `applyShare` of the event loop (it rests between slices), so Alertmanager is answered promptly even when
 * alerts come faster than they can be applied; the rest waits in SQLite and is applied at full speed once the
 * arrivals ease. Each slice is one transaction that applies its bodies and marks them processed, so a crash
 * leaves a body pending (never half applied) and the next start applies it, exactly once. A body whose
 * processing throws is rolled back alone, its error recorded on the row, and retried at the next start up to
 * `maxAttempts` times. Group commit lives in store/group-commit.ts, the pacing of slices in slice-scheduler.ts.
 */
import { type WebhookBody, WebhookBodySchema } from '../alerts/schema.js';
import { CodedError } from '../shared/errors.js';
import { GroupCommit } from '../store/group-commit.js';
import { applyWebhook, WebhookApplier } from './apply-webhook.js';
import type { IncidentDeps } from './context.js';
import { SliceScheduler } from './slice-scheduler.js';

export interface IntakeOptions {
  /** Longest a processing slice holds the event loop before letting requests in (ms). */
  sliceMs?: number;
  /**
   * While bodies keep arriving, the share of the event loop applying may take (0–1]; acknowledging gets the
   * rest, so Alertmanager's requests are answered promptly even when alerts arrive faster than they can be
   * applied (the difference waits, durably, in SQLite). With no body arriving, applying uses all of it.
   */
  applyShare?: number;
  /** Parsed bodies kept in memory for processing, counted in alerts; beyond, bodies are re-read from SQLite. */
  maxCachedAlerts?: number;
  /** A body whose processing failed this many times is left aside (kept, with its error). */
  maxAttempts?: number;
  /**
   * Most bodies stored and not yet applied; beyond, new bodies are refused with 503 and Retry-After (Alertmanager
   * sends them again), so a flood can never fill the disk unseen.
   */
  maxBacklog?: number;
  /** Most bodies appended in one group-commit transaction. */
  maxAcceptBatch?: number;
  /** A monotonic clock in ms for slice budgets and rests (default `performance.now`). */
  elapsed?: () => number;
  /** Told after each processing slice: bodies and alerts applied, bodies failed, bodies still waiting. */
  onSlice?: (s: { bodies: number; alerts: number; failed: number; backlog: number; lagMs: number }) => void;
}

interface Accepting {
  body: WebhookBody;
  raw: string | Buffer;
  /** When it was stored (set by the commit). */
  now: number;
}

interface SliceOutcome {
  /** Bodies applied; with the failures, the bodies this slice took from the head of the queue. */
  bodies: number;
  alerts: number;
  failures: { id: number; error: unknown; attempts: number }[];
}

interface Pending {
  id: number;
  /** Parsed body when it was accepted by this process and the cache had room; read from SQLite otherwise. */
  body: WebhookBody | undefined;
  attempts: number;
  /** When it was received (the clock's time): the body is applied as of then. */
  acceptedAt: number;
}

export class AlertIntake {
  private readonly accepting: GroupCommit<Accepting, number>;
  private readonly slices: SliceScheduler;
  private readonly pending: Pending[] = [];
  private head = 0;
  private cachedAlerts = 0;
  private started = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly sliceMs: number;
  private readonly applyShare: number;
  private readonly maxCachedAlerts: number;
  private readonly maxAttempts: number;
  private readonly maxAcceptBatch: number;
  private readonly maxBacklog: number;
  private readonly elapsed: () => number;

  constructor(
    private readonly deps: IncidentDeps,
    private readonly options: IntakeOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 4;
    this.applyShare = Math.min(1, Math.max(0.05, options.applyShare ?? 0.2));
    this.maxCachedAlerts = options.maxCachedAlerts ?? 5_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.maxAcceptBatch = options.maxAcceptBatch ?? 256;
    this.maxBacklog = options.maxBacklog ?? 100_000;
    this.elapsed = options.elapsed ?? (() => performance.now());
    const { store } = deps;
    this.accepting = new GroupCommit<Accepting, number>({
      tx: (fn) => store.tx(fn),
      maxBatch: this.maxAcceptBatch,
      write: (batch) => {
        // Every body of a batch is stored as received at the time the batch commits.
        const now = deps.clock.now();
        return batch.map((a) => {
          a.now = now;
          return store.alerts.recordWebhook(
            { groupKey: a.body.groupKey, status: a.body.status, alertCount: a.body.alerts.length, body: a.raw },
            now,
          );
        });
      },
      committed: (batch, ids) => this.queueCommitted(batch, ids),
    });
    this.slices = new SliceScheduler({
      applyShare: this.applyShare,
      elapsed: this.elapsed,
      ready: () => this.started && !this.stopped && this.backlog > 0,
      slice: () => this.processSlice(),
    });
  }

  /** Bodies stored and not applied yet. */
  get backlog(): number {
    return this.pending.length - this.head;
  }

  /** Resumes what a previous run stored and did not apply, then processes as bodies arrive. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const resumed = this.deps.store.alerts.pendingWebhooks(this.maxAttempts);
    // Resumed bodies come before anything accepted since construction (their ids are lower).
    const queued = this.pending.splice(this.head);
    this.pending.length = 0;
    this.head = 0;
    const known = new Set(queued.map((p) => p.id));
    for (const r of resumed) {
      if (!known.has(r.id)) {
        this.pending.push({ id: r.id, body: undefined, attempts: r.attempts, acceptedAt: r.receivedAt });
      }
    }
    this.pending.push(...queued);
    this.slices.forgetArrivals();
    if (resumed.length > 0) this.deps.log.info({ bodies: resumed.length }, 'resuming stored Alertmanager bodies');
    this.slices.schedule();
  }

  /** Stores the body; resolves with its id once committed. */
  accept(body: WebhookBody, raw: string | Buffer): Promise<number> {
    if (this.stopped) {
      return Promise.reject(
        new CodedError('unavailable', 'shutting down; send the alerts again', { detail: { retryAfterSeconds: 5 } }),
      );
    }
    const waiting = this.backlog + this.accepting.pending;
    if (waiting >= this.maxBacklog) {
      return Promise.reject(
        new CodedError(
          'unavailable',
          `${waiting} Alertmanager bodies are stored and not yet applied (the limit is ${this.maxBacklog}); send the alerts again later`,
          { detail: { backlog: waiting, retryAfterSeconds: 30 } },
        ),
      );
    }
    return this.accepting.add({ body, raw, now: 0 });
  }

  /** Resolves when every accepted body has been applied (or set aside after failing). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops processing after at most `drainMs` more of it; what is left is applied at the next start. */
  async stop(drainMs = 2_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.slices.stop();
    this.accepting.flushAll();
    const until = this.elapsed() + drainMs;
    while (this.backlog > 0 && this.elapsed() < until && this.deps.store.isOpen()) {
      if (!this.processSlice()) break;
    }
    this.notifyIdle(true);
  }

  /** Bodies just committed join the queue to apply. */
  private queueCommitted(batch: Accepting[], ids: number[]): void {
    batch.forEach((a, i) => {
      const cache = this.cachedAlerts + a.body.alerts.length <= this.maxCachedAlerts;
      if (cache) this.cachedAlerts += a.body.alerts.length;
      this.pending.push({ id: ids[i] as number, body: cache ? a.body : undefined, attempts: 0, acceptedAt: a.now });
    });
    this.slices.arrived(batch.length);
    this.slices.schedule();
  }

  /**
   * Applies bodies from the head of the queue for about `sliceMs`, in one transaction. The bodies are applied
   * together (each touched incident settled once); if any of them throws, the whole slice is rolled back and
   * applied again body by body, each in its own savepoint, so the failing one is set aside alone. Returns false
   * when the transaction itself failed (the bodies stay queued and a retry is armed).
   */
  private processSlice(): boolean {
    const { store, log } = this.deps;
    const started = this.elapsed();
    const now = this.deps.clock.now();
    let outcome: SliceOutcome;
    try {
      try {
        outcome = store.tx(() => this.applyTogether(this.deps, started, now));
      } catch {
        outcome = store.tx(() => this.applyOneByOne(this.deps, this.elapsed(), now));
      }
    } catch (error) {
      log.error({ err: error }, 'applying Alertmanager bodies failed; retrying in 1 s');
      return false;
    }
    for (const f of outcome.failures) {
      log.error(
        { err: f.error, webhookId: f.id, attempts: f.attempts },
        f.attempts >= this.maxAttempts
          ? 'applying an Alertmanager body failed; it is kept in alert_webhooks and no longer retried'
          : 'applying an Alertmanager body failed; it is kept and retried at the next start',
      );
    }
    let lagMs = 0;
    const next = this.head + outcome.bodies + outcome.failures.length;
    for (let i = this.head; i < next; i++) {
      const p = this.pending[i] as Pending;
      if (p.body) this.cachedAlerts -= p.body.alerts.length;
      lagMs = Math.max(lagMs, now - p.acceptedAt);
    }
    this.head = next;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    this.options.onSlice?.({
      bodies: outcome.bodies,
      alerts: outcome.alerts,
      failed: outcome.failures.length,
      backlog: this.backlog,
      lagMs,
    });
    this.notifyIdle();
    return true;
  }

  /** The bodies of this slice: at least one, then more while the time budget lasts. */
  private *sliceItems(started: number): Generator<Pending> {
    for (let i = this.head; i < this.pending.length; i++) {
      if (i > this.head && this.elapsed() - started >= this.sliceMs) return;
      yield this.pending[i] as Pending;
    }
  }

  private applyTogether(deps: IncidentDeps, started: number, now: number): SliceOutcome {
    const applier = new WebhookApplier(deps);
    const ids: number[] = [];
    let alerts = 0;
    for (const p of this.sliceItems(started)) {
      const body = p.body ?? this.load(p.id);
      applier.apply(body, p.id, p.acceptedAt);
      alerts += body.alerts.length;
      ids.push(p.id);
    }
    applier.finish();
    this.deps.store.alerts.markWebhooksProcessed(ids, now);
    return { bodies: ids.length, alerts, failures: [] };
  }

  private applyOneByOne(deps: IncidentDeps, started: number, now: number): SliceOutcome {
    const { store } = this.deps;
    const outcome: SliceOutcome = { bodies: 0, alerts: 0, failures: [] };
    for (const p of this.sliceItems(started)) {
      try {
        store.tx(() => {
          const body = p.body ?? this.load(p.id);
          applyWebhook(deps, body, p.id, p.acceptedAt);
          store.alerts.markWebhooksProcessed([p.id], now);
          outcome.alerts += body.alerts.length;
        });
        outcome.bodies++;
      } catch (error) {
        const attempts = store.alerts.markWebhookFailed(p.id, (error as Error).message ?? String(error));
        outcome.failures.push({ id: p.id, error, attempts });
      }
    }
    return outcome;
  }

  /** A body not kept in memory: read back and validated again (it was valid when accepted). */
  private load(id: number): WebhookBody {
    const raw = this.deps.store.alerts.webhookBody(id);
    if (raw === undefined) throw new Error(`stored Alertmanager body ${id} is missing`);
    return WebhookBodySchema.parse(JSON.parse(raw));
  }

  private isIdle(): boolean {
    return this.accepting.pending === 0 && (this.backlog === 0 || !this.started);
  }

  private notifyIdle(force = false): void {
    if (!force && !this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
