/** Incidents: create, read, optimistic update, and the lookups grouping needs. Rows parse through the model. */
import { type Incident, type IncidentPatch, IncidentSchema, type NewIncident } from '../../incidents/model.js';
import type { DomainEvent } from '../../shared/domain-events.js';
import type { Db } from '../db.js';
import { toJson } from '../json.js';
import { columnOf, type Row, rowMapper } from '../rows.js';

const toIncident = rowMapper(IncidentSchema, ['labels', 'resources'], { trusted: true });
const JSON_FIELDS = new Set(['labels', 'resources']);

export class IncidentsRepo {
  constructor(
    private readonly db: Db,
    private readonly emit: (e: DomainEvent) => void,
  ) {}

  /** Announces `incident.opened`. */
  create(input: NewIncident, now: number): Incident {
    const row = this.db
      .prepare(
        `INSERT INTO incidents (group_key, title, priority, chat_id, namespace, cluster, labels, resources,
           correlation_key, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        input.groupKey,
        input.title,
        input.priority,
        input.chatId,
        input.namespace,
        input.cluster,
        toJson(input.labels),
        toJson(input.resources),
        input.correlationKey ?? null,
        now,
        now,
      ) as Row;
    const incident = toIncident(row);
    this.emit({ type: 'incident.opened', incidentId: incident.id });
    return incident;
  }

  get(id: number): Incident | undefined {
    const row = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return row && toIncident(row);
  }

  /** The id of the newest unresolved incident for a group key, seen within the window. */
  findActive(groupKey: string, seenSince: number): number | undefined {
    return this.newestActive('group_key', groupKey, seenSince);
  }

  /** The newest unresolved incident on a workload (its correlation key), seen within the window. */
  findActiveByCorrelation(correlationKey: string, seenSince: number): number | undefined {
    return this.newestActive('correlation_key', correlationKey, seenSince);
  }

  private newestActive(column: 'group_key' | 'correlation_key', value: string, seenSince: number): number | undefined {
    const row = this.db
      .prepare(
        `SELECT id FROM incidents WHERE ${column} = ? AND status != 'resolved' AND last_seen >= ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(value, seenSince) as { id: number } | undefined;
    return row?.id;
  }

  /**
   * Applies a patch and bumps the version; announces `incident.changed`. With `expectedVersion`, the update only
   * happens when nobody else changed the incident first; returns the new incident, or undefined when that check
   * failed.
   */
  update(id: number, patch: IncidentPatch, expectedVersion?: number): Incident | undefined {
    const keys = Object.keys(patch) as (keyof IncidentPatch)[];
    const sets = keys.map((k) => `${columnOf(k)} = @${k}`);
    const params: Record<string, unknown> = { id };
    for (const k of keys) params[k] = JSON_FIELDS.has(k) ? toJson(patch[k]) : patch[k];
    let where = 'id = @id';
    if (expectedVersion !== undefined) {
      where += ' AND version = @expectedVersion';
      params.expectedVersion = expectedVersion;
    }
    const row = this.db
      .prepare(`UPDATE incidents SET ${[...sets, 'version = version + 1'].join(', ')} WHERE ${where} RETURNING *`)
      .get(params) as Row | undefined;
    if (!row) return undefined;
    this.emit({ type: 'incident.changed', incidentId: id });
    return toIncident(row);
  }

  list(filter: { status?: Incident['status'] | 'active'; since?: number; limit?: number } = {}): Incident[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status === 'active') where.push("status != 'resolved'");
    else if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.since !== undefined) {
      where.push('first_seen >= ?');
      params.push(filter.since);
    }
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, filter.limit ?? 100) as Row[];
    return rows.map(toIncident);
  }

  /** Incidents summarised on a storm's card. */
  idsInStorm(stormId: number): number[] {
    const rows = this.db.prepare('SELECT id FROM incidents WHERE storm_id = ? ORDER BY id').all(stormId) as {
      id: number;
    }[];
    return rows.map((r) => r.id);
  }
}
