import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';

export type EventStatus = 'received' | 'handled' | 'failed';

export interface ProcessedEvent {
  id: string;
  kind: string;
  receivedAt: number;
  status: EventStatus;
  error: string | null;
  payload: string;
}

/**
 * Inbound Feishu events, keyed by message_id (messages) or event_id (everything else). `payload` is the event as
 * the receiver stores it: without the Verification Token or a card's update token (`feishu/stored-event.ts`).
 */
export class ProcessedEventsRepo {
  // Prepared once: these run for every inbound event.
  private claimStmt: Statement | undefined;
  private handledStmt: Statement | undefined;

  constructor(private readonly db: Db) {}

  /** Records the event; `false` when it was seen before (a redelivery), so the caller does nothing. */
  claim(id: string, kind: string, payload: string, now: number): boolean {
    this.claimStmt ??= this.db.prepare(
      'INSERT OR IGNORE INTO processed_events (id, kind, received_at, payload) VALUES (?, ?, ?, ?)',
    );
    return this.claimStmt.run(id, kind, now, payload).changes === 1;
  }

  markHandled(id: string): void {
    this.handledStmt ??= this.db.prepare("UPDATE processed_events SET status = 'handled', error = NULL WHERE id = ?");
    this.handledStmt.run(id);
  }

  markFailed(id: string, error: string): void {
    this.db.prepare("UPDATE processed_events SET status = 'failed', error = ? WHERE id = ?").run(error, id);
  }

  get(id: string): ProcessedEvent | undefined {
    const row = this.db.prepare('SELECT * FROM processed_events WHERE id = ?').get(id) as Row | undefined;
    return row && toEvent(row);
  }

  /** Events acknowledged but not yet handled (e.g. the process stopped mid-way): resumed at start-up. */
  unfinished(limit = 1000): ProcessedEvent[] {
    const rows = this.db
      .prepare("SELECT * FROM processed_events WHERE status = 'received' ORDER BY received_at LIMIT ?")
      .all(limit) as Row[];
    return rows.map(toEvent);
  }
}

interface Row {
  id: string;
  kind: string;
  received_at: number;
  status: EventStatus;
  error: string | null;
  payload: string;
}

function toEvent(r: Row): ProcessedEvent {
  return { id: r.id, kind: r.kind, receivedAt: r.received_at, status: r.status, error: r.error, payload: r.payload };
}
