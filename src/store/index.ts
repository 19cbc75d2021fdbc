/**
 * The product's state: one SQLite database, one repository per table family, and the domain-event bus.
 * Repositories announce what they change (`incident.opened`, `timeline.added`, …); inside `tx` the events are
 * collected and published on `bus` only once the outermost transaction commits (see shared/domain-events.ts).
 */
import { type DomainEvent, EventBus } from '../shared/domain-events.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { type Db, type OpenOptions, openDatabase } from './db.js';
import { AlertsRepo } from './repos/alerts.js';
import { ApprovalsRepo } from './repos/approvals.js';
import { AuditRepo } from './repos/audit.js';
import { CardRefreshRepo } from './repos/card-refresh.js';
import { CardsRepo } from './repos/cards.js';
import { ConversationsRepo } from './repos/conversations.js';
import { EscalationsRepo } from './repos/escalations.js';
import { ProcessedEventsRepo } from './repos/events.js';
import { HeartbeatsRepo } from './repos/heartbeats.js';
import { IncidentsRepo } from './repos/incidents.js';
import { OncallOverridesRepo } from './repos/oncall-overrides.js';
import { OutboxRepo } from './repos/outbox.js';
import { RunbookRunsRepo } from './repos/runbook-runs.js';
import { SilencesRepo } from './repos/silences.js';
import { StormsRepo } from './repos/storms.js';
import { TimelineRepo } from './repos/timeline.js';
import { RetentionJob } from './retention.js';

export type { Db } from './db.js';

export class Store {
  readonly events: ProcessedEventsRepo;
  readonly alerts: AlertsRepo;
  readonly incidents: IncidentsRepo;
  readonly timeline: TimelineRepo;
  readonly conversations: ConversationsRepo;
  readonly approvals: ApprovalsRepo;
  readonly runbookRuns: RunbookRunsRepo;
  readonly outbox: OutboxRepo;
  readonly cards: CardsRepo;
  readonly cardRefresh: CardRefreshRepo;
  readonly audit: AuditRepo;
  readonly escalations: EscalationsRepo;
  readonly silences: SilencesRepo;
  readonly heartbeats: HeartbeatsRepo;
  readonly storms: StormsRepo;
  readonly oncallOverrides: OncallOverridesRepo;
  /** Domain events of committed transactions. */
  readonly bus: EventBus;
  /** One wrapper for every transaction: building a transaction function per call costs more than some bodies. */
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  private depth = 0;
  private pending: DomainEvent[] = [];

  constructor(
    readonly db: Db,
    options: { onSubscriberError?: (err: unknown) => void } = {},
  ) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.bus = new EventBus(options.onSubscriberError);
    const emit = (e: DomainEvent) => this.emit(e);
    this.events = new ProcessedEventsRepo(db);
    this.alerts = new AlertsRepo(db);
    this.incidents = new IncidentsRepo(db, emit);
    this.timeline = new TimelineRepo(db, emit);
    this.conversations = new ConversationsRepo(db);
    this.approvals = new ApprovalsRepo(db);
    this.runbookRuns = new RunbookRunsRepo(db, emit);
    this.outbox = new OutboxRepo(db, emit);
    this.cards = new CardsRepo(db);
    this.cardRefresh = new CardRefreshRepo(db);
    this.audit = new AuditRepo(db);
    this.escalations = new EscalationsRepo(db, emit);
    this.silences = new SilencesRepo(db);
    this.heartbeats = new HeartbeatsRepo(db);
    this.storms = new StormsRepo(db);
    this.oncallOverrides = new OncallOverridesRepo(db);
  }

  static open(path: string, options?: OpenOptions): Store {
    return new Store(openDatabase(path, options));
  }

  /**
   * Runs `fn` in one transaction. A nested call runs in a savepoint of the outer one: if it throws, only its own
   * writes (and the events they announced) are undone, and the error goes on to the caller. The events are
   * published once the outermost transaction committed.
   */
  tx<T>(fn: () => T): T {
    const mark = this.pending.length;
    this.depth++;
    let result: T;
    try {
      result = this.runInTransaction(fn) as T;
    } catch (err) {
      this.depth--;
      this.pending.length = this.depth === 0 ? 0 : mark;
      throw err;
    }
    this.depth--;
    if (this.depth === 0 && this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.bus.publish(batch);
    }
    return result;
  }

  /** Announces a change: after the transaction commits, or at once outside one. */
  emit(event: DomainEvent): void {
    if (this.depth > 0) this.pending.push(event);
    else this.bus.publish([event]);
  }

  /** WAL checkpoints off the main thread, for a file database; `stop()` it before closing. */
  checkpointInBackground(
    path: string,
    options?: ConstructorParameters<typeof BackgroundCheckpointer>[2],
  ): BackgroundCheckpointer {
    return new BackgroundCheckpointer(this.db, path, options);
  }

  /** Prunes old outbox rows and event ids on a schedule (not started yet). */
  retention(options: Omit<ConstructorParameters<typeof RetentionJob>[0], 'db'>): RetentionJob {
    return new RetentionJob({ db: this.db, ...options });
  }

  isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
