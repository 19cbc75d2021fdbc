/** The persisted schedule of each digest: its next due time, so downtime never loses or doubles a run. */
import { type DigestKind, type ReportRun, ReportRunSchema } from '../../reports/model.js';
import type { Db } from '../db.js';
import { type Row, rowMapper } from '../rows.js';

const toRun = rowMapper(ReportRunSchema);

export class ReportRunsRepo {
  constructor(private readonly db: Db) {}

  get(kind: DigestKind): ReportRun | undefined {
    const row = this.db.prepare('SELECT * FROM report_runs WHERE kind = ?').get(kind) as Row | undefined;
    return row && toRun(row);
  }

  /** Sets the schedule and next due time (keeping what the last run stood for). */
  arm(kind: DigestKind, schedule: string, dueAt: number): void {
    this.db
      .prepare(
        `INSERT INTO report_runs (kind, schedule, due_at) VALUES (?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET schedule = excluded.schedule, due_at = excluded.due_at`,
      )
      .run(kind, schedule, dueAt);
  }

  /**
   * Claims a due run: moves the due time on to `nextDueAt` only if it still is `dueAt`, so a run is taken once
   * however often this is called. Returns false when someone else took it.
   */
  claim(kind: DigestKind, dueAt: number, nextDueAt: number, fireAt: number, now: number): boolean {
    const r = this.db
      .prepare('UPDATE report_runs SET due_at = ?, last_fire_at = ?, last_run_at = ? WHERE kind = ? AND due_at = ?')
      .run(nextDueAt, fireAt, now, kind, dueAt);
    return r.changes === 1;
  }
}
