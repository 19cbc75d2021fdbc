/**
 * The digest schedule: `reports.daily` and `reports.weekly` are cron strings read in TZ. Each digest's next due
 * time is kept in SQLite (`report_runs`), and one DueTimer waits for the earliest. When a digest falls due —
 * on time, or at start after downtime — it is built and queued for `reports.chat_id` in the same transaction
 * that moves its due time past now: missed runs collapse into one catch-up, a restart never posts it twice, and
 * runs never overlap (building is synchronous, inside that transaction).
 *
 * The first start arms each digest for its next firing (nothing is posted for the time before the bot
 * existed); a changed cron string re-arms from now.
 */
import { DueTimer } from '../incidents/due-timer.js';
import type { ReportRunsRepo } from '../store/repos/report-runs.js';
import { CronSchedule } from './cron.js';
import { type ReportDeps, reportsChat } from './deps.js';
import { buildDigest } from './digests.js';
import { DIGESTS, type DigestKind } from './model.js';

export interface ReportSchedulerDeps extends ReportDeps {
  runs: ReportRunsRepo;
}

/** A digest whose build failed is tried again after this long (it stays due in SQLite meanwhile). */
export const RETRY_AFTER_MS = 5 * 60_000;

export class ReportScheduler {
  private readonly schedules = new Map<DigestKind, CronSchedule>();
  private readonly timer: DueTimer;
  private warnedNoChat = false;
  /** Not before when a digest whose build failed is tried again (in memory: a restart tries at once). */
  private readonly retryAt = new Map<DigestKind, number>();

  constructor(private readonly deps: ReportSchedulerDeps) {
    for (const kind of DIGESTS) {
      this.schedules.set(kind, new CronSchedule(deps.config.file.reports[kind], deps.config.timezone));
    }
    this.timer = new DueTimer({
      clock: deps.clock,
      log: deps.log,
      name: 'report schedule',
      nextDueAt: () => this.nextDueAt(),
      run: () => this.runDue(),
      isOpen: () => deps.store.isOpen(),
    });
  }

  start(): void {
    const now = this.deps.clock.now();
    for (const [kind, schedule] of this.schedules) {
      const row = this.deps.runs.get(kind);
      if (row && row.schedule === schedule.expression) continue;
      const next = schedule.next(now);
      if (next === undefined) {
        this.deps.log.warn({ kind, schedule: schedule.expression }, 'report schedule never fires; not armed');
        continue;
      }
      this.deps.runs.arm(kind, schedule.expression, next);
    }
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
    for (const s of this.schedules.values()) s.dispose();
  }

  private nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const kind of DIGESTS) {
      const row = this.deps.runs.get(kind);
      if (!row) continue;
      const at = Math.max(row.dueAt, this.retryAt.get(kind) ?? 0);
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  /** Runs every digest that is due; returns false (the timer re-arms for the next due time). */
  private runDue(): boolean {
    const now = this.deps.clock.now();
    for (const kind of DIGESTS) {
      if ((this.retryAt.get(kind) ?? 0) > now) continue;
      try {
        this.runIfDue(kind);
        this.retryAt.delete(kind);
      } catch (err) {
        this.retryAt.set(kind, now + RETRY_AFTER_MS);
        this.deps.log.error({ err, kind }, 'building the digest failed; it stays due and is tried again');
      }
    }
    return false;
  }

  /** Builds and queues `kind` if it is due; says whether it posted (or would have, without a chat). */
  runIfDue(kind: DigestKind): boolean {
    const { store, clock, runs, log } = this.deps;
    const schedule = this.schedules.get(kind);
    const row = runs.get(kind);
    const now = clock.now();
    if (!schedule || !row || row.dueAt > now) return false;
    const next = schedule.next(now) ?? Number.MAX_SAFE_INTEGER;
    const chatId = reportsChat(this.deps.config);
    return store.tx(() => {
      if (!runs.claim(kind, row.dueAt, next, row.dueAt, now)) return false;
      if (!chatId) {
        if (!this.warnedNoChat) {
          log.warn('no reports.chat_id and no FEISHU_DEFAULT_CHAT_ID: digests are built on demand only');
          this.warnedNoChat = true;
        }
        return true;
      }
      const missed = now - row.dueAt > 60_000;
      const { card } = buildDigest(kind, now, this.deps);
      store.outbox.enqueueMessage({ kind: 'send_card', chatId, cardKey: `digest:${kind}:${row.dueAt}`, card }, now, {
        ref: `digest:${kind}`,
        dedupeKey: `digest:${kind}:${row.dueAt}`,
      });
      store.cards.claim(`digest:${kind}:${row.dueAt}`, chatId, now);
      log.info({ kind, dueAt: row.dueAt, caughtUp: missed, next }, 'digest queued');
      return true;
    });
  }
}
