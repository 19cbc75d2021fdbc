/** Persisted runbook state machines: a run survives a restart and resumes where it stood. */
import { type NewRunbookRun, type RunbookRun, type RunbookRunPatch, RunbookRunSchema } from '../../runbooks/model.js';
import type { DomainEvent } from '../../shared/domain-events.js';
import type { Db } from '../db.js';
import { toJson } from '../json.js';
import { type Row, rowMapper } from '../rows.js';

const toRun = rowMapper(RunbookRunSchema, ['params', 'data']);

export class RunbookRunsRepo {
  constructor(
    private readonly db: Db,
    private readonly emit: (e: DomainEvent) => void,
  ) {}

  create(input: NewRunbookRun, now: number): RunbookRun {
    this.db
      .prepare(
        `INSERT INTO runbook_runs (id, runbook_id, incident_id, params, state, requested_by, created_at, updated_at,
                                   target, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.id,
        input.runbookId,
        input.incidentId,
        toJson(input.params),
        input.state,
        input.requestedBy,
        now,
        now,
        input.target ?? null,
        toJson(input.data ?? {}),
      );
    this.emit({ type: 'run.advanced', runId: input.id });
    return this.get(input.id) as RunbookRun;
  }

  get(id: string): RunbookRun | undefined {
    const row = this.db.prepare('SELECT * FROM runbook_runs WHERE id = ?').get(id) as Row | undefined;
    return row && toRun(row);
  }

  /** Optimistic update: applies only if the run is still at `expectedVersion`; undefined otherwise. */
  update(id: string, patch: RunbookRunPatch, expectedVersion: number, now: number): RunbookRun | undefined {
    const cur = this.get(id);
    if (!cur || cur.version !== expectedVersion) return undefined;
    const next = { ...cur, ...patch };
    const r = this.db
      .prepare(
        `UPDATE runbook_runs SET state = ?, step_index = ?, data = ?, approved_by = ?, ended_at = ?, updated_at = ?,
           version = version + 1 WHERE id = ? AND version = ?`,
      )
      .run(next.state, next.stepIndex, toJson(next.data), next.approvedBy, next.endedAt, now, id, expectedVersion);
    if (r.changes !== 1) return undefined;
    this.emit({ type: 'run.advanced', runId: id });
    return this.get(id);
  }

  /** The run acting on `target` now (awaiting approval, running, verifying or rolling back), if any. */
  activeOn(target: string): RunbookRun | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM runbook_runs WHERE target = ?
           AND state IN ('awaiting_approval','running','verifying','rolling_back') LIMIT 1`,
      )
      .get(target) as Row | undefined;
    return row && toRun(row);
  }

  /** The latest run on `target` that ended after it was approved (what a cooldown counts from). */
  lastExecutedOn(target: string): RunbookRun | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM runbook_runs WHERE target = ? AND ended_at IS NOT NULL AND approved_by IS NOT NULL
         ORDER BY ended_at DESC LIMIT 1`,
      )
      .get(target) as Row | undefined;
    return row && toRun(row);
  }

  inStates(states: readonly string[]): RunbookRun[] {
    if (states.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM runbook_runs WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY created_at`)
      .all(...states) as Row[];
    return rows.map(toRun);
  }
}
