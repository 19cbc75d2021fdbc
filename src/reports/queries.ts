/**
 * The report read models: indexed SQL over alerts, incidents and the typed timeline, returning typed rows. This
 * is the only SQL outside src/store/ (the architecture test names it); figures.ts turns the rows into numbers.
 * Every range is half-open, `[from, to)`, in epoch ms. The indexes each query relies on are named beside it
 * (migrations 001, 002 and 012).
 */
import type { Priority } from '../alerts/model.js';
import type { Db } from '../store/index.js';

export interface Range {
  from: number;
  to: number;
}

export interface IncidentTimes {
  id: number;
  priority: Priority;
  firstSeen: number;
  ackedAt: number | null;
  resolvedAt: number | null;
}

export interface NameCount {
  name: string;
  count: number;
}

export interface QuietIncident {
  incidentId: number;
  alertname: string;
  labels: Record<string, string>;
  generatorUrl: string | null;
  lastedMs: number;
}

export interface RunRow {
  incidentId: number;
  runId: string;
  runbookId: string;
  startedAt: number;
  /** Timeline kinds that ended the run before the period's end: verified, verification_failed, rolled_back, failed. */
  outcomes: string[];
}

export interface VerifiedFix {
  incidentId: number;
  runId: string;
  verifiedAt: number;
  correlationKey: string | null;
}

export interface VoteRow {
  incidentId: number;
  verdict: 'right' | 'partly' | 'wrong';
}

/** Alert episodes of one alert name on one incident. */
export interface IncidentAlertCount {
  incidentId: number;
  workload: string;
  alertname: string;
  count: number;
}

/** Timeline kinds that count as someone acting on an incident (auto-diagnosis and auto-resolve do not). */
const ACTION_KINDS = "('acknowledged','silenced','approval_requested','run_started','note','rejected','approved')";

export class ReportQueries {
  constructor(private readonly db: Db) {}

  /**
   * Alert episodes first seen in the range by priority, in one pass over alerts_report with no sort (an
   * ungraded episode counts as P3).
   */
  alertsByPriority(r: Range): Record<Priority, number> {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) FILTER (WHERE priority = 'P0') AS P0, COUNT(*) FILTER (WHERE priority = 'P1') AS P1,
                COUNT(*) FILTER (WHERE priority = 'P2') AS P2,
                COUNT(*) FILTER (WHERE priority = 'P3' OR priority IS NULL) AS P3
         FROM alerts INDEXED BY alerts_report WHERE first_seen >= ? AND first_seen < ?`,
      )
      .get(r.from, r.to) as Record<Priority, number>;
    return row;
  }

  /**
   * Alert episodes first seen in the range, by incident and alert name, with the incident's workload (its
   * cluster/namespace/workload key, else its namespace, else ''). Driven by the incidents that can hold such an
   * episode — opened before the range ends, last seen after it starts — whose alerts alerts_incident_name_time
   * hands over already grouped, so nothing is sorted.
   */
  alertsByIncident(r: Range): IncidentAlertCount[] {
    return this.db
      .prepare(
        `SELECT i.id AS incidentId, COALESCE(i.correlation_key, i.namespace, '') AS workload,
                a.alertname AS alertname, COUNT(*) AS count
         FROM incidents i CROSS JOIN alerts a INDEXED BY alerts_incident_name_time ON a.incident_id = i.id
         WHERE i.first_seen < @to AND i.last_seen >= @from AND a.first_seen >= @from AND a.first_seen < @to
         GROUP BY i.id, a.alertname`,
      )
      .all({ from: r.from, to: r.to }) as IncidentAlertCount[];
  }

  /** Incidents opened in the range (incidents_time). */
  incidentsOpened(r: Range): IncidentTimes[] {
    return this.db
      .prepare(
        `SELECT id, priority, first_seen AS firstSeen, acked_at AS ackedAt, resolved_at AS resolvedAt FROM incidents
         WHERE first_seen >= ? AND first_seen < ? ORDER BY id`,
      )
      .all(r.from, r.to) as IncidentTimes[];
  }

  /** Incidents resolved in the range (incidents_resolved_at). */
  incidentsResolved(r: Range): IncidentTimes[] {
    return this.db
      .prepare(
        `SELECT id, priority, first_seen AS firstSeen, acked_at AS ackedAt, resolved_at AS resolvedAt FROM incidents
         WHERE resolved_at >= ? AND resolved_at < ? ORDER BY id`,
      )
      .all(r.from, r.to) as IncidentTimes[];
  }

  /** Incidents opened before `at` and not resolved by then. */
  stillOpenAt(at: number): number {
    const row = this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM incidents WHERE status != 'resolved' AND first_seen < @at)
              + (SELECT COUNT(*) FROM incidents WHERE resolved_at >= @at AND first_seen < @at) AS n`,
      )
      .get({ at }) as { n: number };
    return row.n;
  }

  /**
   * Incidents resolved in the range on their own within `maxMs` of opening, never acknowledged, on which nobody
   * acted (no ack, silence, runbook, note; no diagnosis or investigation asked for by a person), with the alert
   * that led them — candidates for tuning.
   */
  quietIncidents(r: Range, maxMs: number): QuietIncident[] {
    const rows = this.db
      .prepare(
        `SELECT i.id AS incidentId, i.resolved_at - i.first_seen AS lastedMs,
                a.alertname AS alertname, a.labels AS labels, a.generator_url AS generatorUrl
         FROM incidents i
         JOIN alerts a ON a.id = (SELECT MIN(id) FROM alerts WHERE incident_id = i.id)
         WHERE i.resolved_at >= ? AND i.resolved_at < ? AND i.acked_at IS NULL
           AND (i.resolved_by IS NULL OR i.resolved_by = 'system')
           AND i.resolved_at - i.first_seen <= ?
           AND NOT EXISTS (SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id AND (
                 t.kind IN ${ACTION_KINDS}
                 OR (t.kind IN ('diagnosed','investigated','resolved') AND t.actor LIKE 'ou\\_%' ESCAPE '\\')))
         ORDER BY i.id`,
      )
      .all(r.from, r.to, maxMs) as (Omit<QuietIncident, 'labels'> & { labels: string })[];
    return rows.map((row) => ({ ...row, labels: JSON.parse(row.labels) as Record<string, string> }));
  }

  /** Runbook runs started in the range and how each had ended by `asOf` (incident_timeline_kind_at). */
  runsStarted(r: Range, asOf: number): RunRow[] {
    const rows = this.db
      .prepare(
        `SELECT s.incident_id AS incidentId, json_extract(s.detail, '$.runId') AS runId,
                json_extract(s.detail, '$.runbookId') AS runbookId, s.at AS startedAt,
                (SELECT group_concat(CASE WHEN e.kind = 'step_done' THEN 'failed' ELSE e.kind END)
                   FROM incident_timeline e
                  WHERE e.incident_id = s.incident_id AND e.at < @asOf
                    AND json_extract(e.detail, '$.runId') = json_extract(s.detail, '$.runId')
                    AND (e.kind IN ('verified','verification_failed','rolled_back')
                         OR (e.kind = 'step_done' AND json_extract(e.detail, '$.outcome') = 'failed'))) AS outcomes
         FROM incident_timeline s
         WHERE s.kind = 'run_started' AND s.at >= @from AND s.at < @to
         ORDER BY s.at, s.id`,
      )
      .all({ from: r.from, to: r.to, asOf }) as (Omit<RunRow, 'outcomes'> & { outcomes: string | null })[];
    return rows.map((row) => ({ ...row, outcomes: row.outcomes ? row.outcomes.split(',') : [] }));
  }

  /** Timeline entries of the given kinds in the range, counted by kind (incident_timeline_kind_at). */
  timelineCounts(r: Range, kinds: readonly string[]): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(kinds.map((k) => [k, 0]));
    if (kinds.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT kind, COUNT(*) AS n FROM incident_timeline WHERE kind IN (${kinds.map(() => '?').join(',')})
         AND at >= ? AND at < ? GROUP BY kind`,
      )
      .all(...kinds, r.from, r.to) as { kind: string; n: number }[];
    for (const row of rows) out[row.kind] = row.n;
    return out;
  }

  /** Runs verified in the range, with the workload of their incident. */
  verifiedFixes(r: Range): VerifiedFix[] {
    return this.db
      .prepare(
        `SELECT t.incident_id AS incidentId, json_extract(t.detail, '$.runId') AS runId, t.at AS verifiedAt,
                i.correlation_key AS correlationKey
         FROM incident_timeline t JOIN incidents i ON i.id = t.incident_id
         WHERE t.kind = 'verified' AND t.at >= ? AND t.at < ? ORDER BY t.at, t.id`,
      )
      .all(r.from, r.to) as VerifiedFix[];
  }

  /**
   * Whether an alert of `fix`'s incident came back in `(after, until]`: the same fingerprint (alerts_fingerprint
   * by last_seen, then first_seen), or the same alert name on the same workload.
   */
  recurred(fix: Pick<VerifiedFix, 'incidentId' | 'correlationKey'>, after: number, until: number): boolean {
    const sameFingerprint = this.db
      .prepare(
        `SELECT 1 FROM alerts a WHERE a.fingerprint IN (SELECT fingerprint FROM alerts WHERE incident_id = @id)
           AND a.last_seen > @after AND a.first_seen > @after AND a.first_seen <= @until LIMIT 1`,
      )
      .get({ id: fix.incidentId, after, until });
    if (sameFingerprint) return true;
    if (fix.correlationKey === null) return false;
    // The workload's incidents seen after the fix first (incidents_correlation), then their alerts (alerts_incident).
    const sameWorkload = this.db
      .prepare(
        `SELECT 1 FROM incidents i CROSS JOIN alerts a ON a.incident_id = i.id
         WHERE i.correlation_key = @key AND i.last_seen > @after AND i.first_seen <= @until
           AND a.first_seen > @after AND a.first_seen <= @until
           AND a.alertname IN (SELECT DISTINCT alertname FROM alerts WHERE incident_id = @id) LIMIT 1`,
      )
      .get({ id: fix.incidentId, after, until, key: fix.correlationKey });
    return sameWorkload !== undefined;
  }

  /** Accuracy votes on incidents resolved in the range. */
  votesOnResolved(r: Range): VoteRow[] {
    return this.db
      .prepare(
        `SELECT v.incident_id AS incidentId, v.verdict AS verdict FROM incidents i
         JOIN report_votes v ON v.incident_id = i.id
         WHERE i.resolved_at >= ? AND i.resolved_at < ? ORDER BY v.incident_id, v.voter`,
      )
      .all(r.from, r.to) as VoteRow[];
  }

  /** Silences in force at `at` (created before, ending after, not removed before). */
  silencesActiveAt(at: number): number {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM silences WHERE created_at <= @at AND ends_at > @at
         AND (state != 'removed' OR checked_at > @at)`,
      )
      .get({ at }) as { n: number };
    return row.n;
  }

  /** Incidents resolved since `since` whose incident report was never posted (incidents_resolved_at). */
  resolvedWithoutReport(since: number): number[] {
    const rows = this.db
      .prepare(
        `SELECT i.id FROM incidents i WHERE i.resolved_at >= ? AND NOT EXISTS (
           SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id AND t.kind = 'report_posted'
             AND json_extract(t.detail, '$.report') = 'incident')
         ORDER BY i.resolved_at, i.id`,
      )
      .all(since) as { id: number }[];
    return rows.map((r) => r.id);
  }
}
