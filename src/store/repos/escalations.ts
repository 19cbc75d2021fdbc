import { type Escalation, EscalationSchema } from '../../incidents/model.js';
import type { DomainEvent } from '../../shared/domain-events.js';
import type { Db } from '../db.js';
import { type Row, rowMapper } from '../rows.js';

const toEscalation = rowMapper(EscalationSchema);

/** Escalation timers of un-acknowledged incidents, persisted so a restart neither loses nor repeats them. */
export class EscalationsRepo {
  constructor(
    private readonly db: Db,
    private readonly emit: (e: DomainEvent) => void,
  ) {}

  /** Arms the timer for an incident (once: an existing timer is kept); announces `escalation.armed`. */
  start(incidentId: number, dueAt: number, now: number): void {
    const r = this.db
      .prepare(
        `INSERT INTO escalations (incident_id, step, due_at, status, updated_at) VALUES (?, 0, ?, 'pending', ?)
         ON CONFLICT (incident_id) DO NOTHING`,
      )
      .run(incidentId, dueAt, now);
    if (r.changes === 1) this.emit({ type: 'escalation.armed', incidentId });
  }

  get(incidentId: number): Escalation | undefined {
    const r = this.db.prepare('SELECT * FROM escalations WHERE incident_id = ?').get(incidentId) as Row | undefined;
    return r && toEscalation(r);
  }

  due(now: number, limit = 100): Escalation[] {
    const rows = this.db
      .prepare("SELECT * FROM escalations WHERE status = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?")
      .all(now, limit) as Row[];
    return rows.map(toEscalation);
  }

  nextDueAt(): number | undefined {
    const r = this.db.prepare("SELECT MIN(due_at) AS t FROM escalations WHERE status = 'pending'").get() as {
      t: number | null;
    };
    return r.t ?? undefined;
  }

  /** Moves to the next step (or finishes) only if still at `fromStep`: a step runs exactly once. */
  advance(incidentId: number, fromStep: number, next: { dueAt: number } | 'done', now: number): boolean {
    const r =
      next === 'done'
        ? this.db
            .prepare(
              "UPDATE escalations SET step = step + 1, status = 'done', updated_at = ? WHERE incident_id = ? AND step = ? AND status = 'pending'",
            )
            .run(now, incidentId, fromStep)
        : this.db
            .prepare(
              "UPDATE escalations SET step = step + 1, due_at = ?, updated_at = ? WHERE incident_id = ? AND step = ? AND status = 'pending'",
            )
            .run(next.dueAt, now, incidentId, fromStep);
    return r.changes === 1;
  }

  /** Stops a pending escalation (acknowledged or resolved); true when one was running. */
  stop(incidentId: number, now: number): boolean {
    const r = this.db
      .prepare("UPDATE escalations SET status = 'stopped', updated_at = ? WHERE incident_id = ? AND status = 'pending'")
      .run(now, incidentId);
    return r.changes === 1;
  }
}
