import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export interface TimelineEntry {
  id: number;
  incidentId: number;
  at: number;
  kind: string;
  actor: string | null;
  detail: Record<string, unknown>;
}

/** Every transition of an incident, with who did it; the raw material of incident reports. */
export class TimelineRepo {
  constructor(private readonly db: Db) {}

  add(
    incidentId: number,
    kind: string,
    actor: string | null,
    detail: Record<string, unknown>,
    now: number,
  ): TimelineEntry {
    const r = this.db
      .prepare('INSERT INTO incident_timeline (incident_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)')
      .run(incidentId, now, kind, actor, toJson(detail));
    return { id: Number(r.lastInsertRowid), incidentId, at: now, kind, actor, detail };
  }

  list(incidentId: number): TimelineEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY at, id')
      .all(incidentId) as Row[];
    return rows.map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      at: r.at,
      kind: r.kind,
      actor: r.actor,
      detail: fromJson(r.detail, {}),
    }));
  }
}

interface Row {
  id: number;
  incident_id: number;
  at: number;
  kind: string;
  actor: string | null;
  detail: string;
}
