/** Every transition of an incident, with who did it; the raw material of incident reports. */
import { type TimelineDetail, TimelineDetailSchema, type TimelineEntry } from '../../incidents/model.js';
import type { DomainEvent } from '../../shared/domain-events.js';
import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

interface Row {
  id: number;
  incident_id: number;
  at: number;
  kind: string;
  actor: string | null;
  detail: string;
}

export class TimelineRepo {
  constructor(
    private readonly db: Db,
    private readonly emit: (e: DomainEvent) => void,
  ) {}

  /** Appends an entry; announces `timeline.added`. */
  add(incidentId: number, entry: TimelineDetail, actor: string, now: number): TimelineEntry {
    const r = this.db
      .prepare('INSERT INTO incident_timeline (incident_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)')
      .run(incidentId, now, entry.kind, actor, toJson(entry.detail));
    const id = Number(r.lastInsertRowid);
    this.emit({ type: 'timeline.added', incidentId, entryId: id, kind: entry.kind });
    return { ...entry, id, incidentId, at: now, actor };
  }

  /** The newest entry of one kind (e.g. the latest `diagnosed`), or undefined. */
  latest<K extends TimelineEntry['kind']>(
    incidentId: number,
    kind: K,
  ): Extract<TimelineEntry, { kind: K }> | undefined {
    const r = this.db
      .prepare('SELECT * FROM incident_timeline WHERE incident_id = ? AND kind = ? ORDER BY at DESC, id DESC LIMIT 1')
      .get(incidentId, kind) as Row | undefined;
    if (!r) return undefined;
    const parsed = TimelineDetailSchema.safeParse({ kind: r.kind, detail: fromJson(r.detail, {}) });
    if (!parsed.success) return undefined;
    return { id: r.id, incidentId: r.incident_id, at: r.at, actor: r.actor ?? 'system', ...parsed.data } as Extract<
      TimelineEntry,
      { kind: K }
    >;
  }

  /**
   * The incident's entries, oldest first. A row this build cannot read (written by a newer one) comes back as a
   * `note` naming its kind, so a report never breaks on it.
   */
  list(incidentId: number): TimelineEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY at, id')
      .all(incidentId) as Row[];
    return rows.map((r) => {
      const base = { id: r.id, incidentId: r.incident_id, at: r.at, actor: r.actor ?? 'system' };
      const parsed = TimelineDetailSchema.safeParse({ kind: r.kind, detail: fromJson(r.detail, {}) });
      return parsed.success
        ? { ...base, ...parsed.data }
        : { ...base, kind: 'note' as const, detail: { text: `${r.kind}: ${r.detail}` } };
    });
  }
}
