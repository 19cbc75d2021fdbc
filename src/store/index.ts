import { type Db, type OpenOptions, openDatabase } from './db.js';
import { AlertingRepo } from './repos/alerting.js';
import { AlertsRepo } from './repos/alerts.js';
import { ApprovalsRepo } from './repos/approvals.js';
import { AuditRepo } from './repos/audit.js';
import { ConversationsRepo } from './repos/conversations.js';
import { EscalationsRepo } from './repos/escalations.js';
import { ProcessedEventsRepo } from './repos/events.js';
import { IncidentsRepo } from './repos/incidents.js';
import { OutboxRepo } from './repos/outbox.js';
import { RunbookRunsRepo } from './repos/runbook-runs.js';
import { SilencesRepo } from './repos/silences.js';
import { TimelineRepo } from './repos/timeline.js';

export type { Db } from './db.js';

/** The product's state: one SQLite database, one repository per table family. */
export class Store {
  readonly events: ProcessedEventsRepo;
  readonly alerts: AlertsRepo;
  readonly incidents: IncidentsRepo;
  readonly timeline: TimelineRepo;
  readonly conversations: ConversationsRepo;
  readonly approvals: ApprovalsRepo;
  readonly runbookRuns: RunbookRunsRepo;
  readonly outbox: OutboxRepo;
  readonly audit: AuditRepo;
  readonly alerting: AlertingRepo;
  readonly escalations: EscalationsRepo;
  readonly silences: SilencesRepo;
  /** One wrapper for every transaction: building a transaction function per call costs more than some bodies. */
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  constructor(readonly db: Db) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.events = new ProcessedEventsRepo(db);
    this.alerts = new AlertsRepo(db);
    this.incidents = new IncidentsRepo(db);
    this.timeline = new TimelineRepo(db);
    this.conversations = new ConversationsRepo(db);
    this.approvals = new ApprovalsRepo(db);
    this.runbookRuns = new RunbookRunsRepo(db);
    this.outbox = new OutboxRepo(db);
    this.audit = new AuditRepo(db);
    this.alerting = new AlertingRepo(db);
    this.escalations = new EscalationsRepo(db);
    this.silences = new SilencesRepo(db);
  }

  static open(path: string, options?: OpenOptions): Store {
    return new Store(openDatabase(path, options));
  }

  /**
   * Runs `fn` in one transaction. A nested call runs in a savepoint of the outer one: if it throws, only its own
   * writes are undone (and the error goes on to the caller).
   */
  tx<T>(fn: () => T): T {
    return this.runInTransaction(fn) as T;
  }

  isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
