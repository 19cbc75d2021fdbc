/**
 * Domain events: what changed, announced after the transaction that changed it commits. They carry ids, not
 * state — a subscriber reads what it needs from SQLite, and one that missed events (a restart) catches up from
 * SQLite too. The store collects events inside a transaction and publishes them on one in-process bus once it
 * commits (a rolled-back transaction announces nothing); outside a transaction they are published at once.
 *
 *   store.bus.subscribe((events) => { if (events.some((e) => e.type === 'incident.opened')) … });
 *
 * A subscriber receives each committed transaction's events as one batch, so it can do its work once per
 * commit rather than once per event.
 */

export type DomainEvent =
  | { type: 'incident.opened'; incidentId: number }
  | { type: 'incident.changed'; incidentId: number }
  | { type: 'timeline.added'; incidentId: number; entryId: number; kind: string }
  | { type: 'escalation.armed'; incidentId: number }
  | { type: 'message.queued'; outboxId: number; chatId: string }
  | { type: 'approval.requested'; approvalId: string }
  | { type: 'approval.decided'; approvalId: string }
  | { type: 'run.advanced'; runId: string };

export type DomainEventType = DomainEvent['type'];
export type Subscriber = (events: readonly DomainEvent[]) => void;

export class EventBus {
  private readonly subscribers = new Set<Subscriber>();

  /** `onError` hears of a subscriber that threw (the others still run). */
  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  /** Returns an unsubscribe function. */
  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  publish(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    for (const fn of this.subscribers) {
      try {
        fn(events);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}

/** Whether a batch holds an event of one of `types`. */
export function hasEvent(events: readonly DomainEvent[], ...types: DomainEventType[]): boolean {
  for (const e of events) if (types.includes(e.type)) return true;
  return false;
}
