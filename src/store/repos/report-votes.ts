/** Accuracy votes on incident reports: one row per person and incident, changed in place by a later click. */
import { type ReportVote, ReportVoteSchema, type Verdict } from '../../reports/model.js';
import type { Db } from '../db.js';
import { type Row, rowMapper } from '../rows.js';

const toVote = rowMapper(ReportVoteSchema);

export type VoteOutcome = 'recorded' | 'changed' | 'unchanged';

export class ReportVotesRepo {
  constructor(private readonly db: Db) {}

  /** Records `voter`'s verdict on an incident; says whether it was new, changed or the same as before. */
  cast(incidentId: number, voter: string, verdict: Verdict, now: number): VoteOutcome {
    const before = this.db
      .prepare('SELECT verdict FROM report_votes WHERE incident_id = ? AND voter = ?')
      .get(incidentId, voter) as { verdict: Verdict } | undefined;
    if (before?.verdict === verdict) return 'unchanged';
    this.db
      .prepare(
        `INSERT INTO report_votes (incident_id, voter, verdict, voted_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, voter) DO UPDATE SET verdict = excluded.verdict, updated_at = excluded.updated_at`,
      )
      .run(incidentId, voter, verdict, now, now);
    return before ? 'changed' : 'recorded';
  }

  forIncident(incidentId: number): ReportVote[] {
    const rows = this.db
      .prepare('SELECT * FROM report_votes WHERE incident_id = ? ORDER BY voted_at, voter')
      .all(incidentId) as Row[];
    return rows.map(toVote);
  }
}
