import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export interface RunbookRun {
  id: string;
  runbookId: string;
  incidentId: number | null;
  params: Record<string, unknown>;
  state: string;
  stepIndex: number;
  data: Record<string, unknown>;
  requestedBy: string;
  approvedBy: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export type NewRunbookRun = Pick<RunbookRun, 'id' | 'runbookId' | 'incidentId' | 'params' | 'state' | 'requestedBy'>;
export type RunbookRunPatch = Partial<Pick<RunbookRun, 'state' | 'stepIndex' | 'data' | 'approvedBy'>>;

/** Persisted runbook state machines: a run survives a restart and resumes where it stood. */
export class RunbookRunsRepo {
  constructor(private readonly db: Db) {}

  create(input: NewRunbookRun, now: number): RunbookRun {
    this.db
      .prepare(
        `INSERT INTO runbook_runs (id, runbook_id, incident_id, params, state, requested_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.id, input.runbookId, input.incidentId, toJson(input.params), input.state, input.requestedBy, now, now);
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
        `UPDATE runbook_runs SET state = ?, step_index = ?, data = ?, approved_by = ?, updated_at = ?,
           version = version + 1 WHERE id = ? AND version = ?`,
      )
      .run(next.state, next.stepIndex, toJson(next.data), next.approvedBy, now, id, expectedVersion);
    return r.changes === 1 ? this.get(id) : undefined;
  }

  inStates(states: readonly string[]): RunbookRun[] {
    if (states.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM runbook_runs WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY created_at`)
      .all(...states) as Row[];
    return rows.map(toRun);
  }
}

interface Row {
  id: string;
  runbook_id: string;
  incident_id: number | null;
  params: string;
  state: string;
  step_index: number;
  data: string;
  requested_by: string;
  approved_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

function toRun(r: Row): RunbookRun {
  return {
    id: r.id,
    runbookId: r.runbook_id,
    incidentId: r.incident_id,
    params: fromJson(r.params, {}),
    state: r.state,
    stepIndex: r.step_index,
    data: fromJson(r.data, {}),
    requestedBy: r.requested_by,
    approvedBy: r.approved_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
