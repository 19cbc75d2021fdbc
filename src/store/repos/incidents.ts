import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';
import type { PriorityLevel } from './alerts.js';

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

export interface Incident {
  id: number;
  groupKey: string;
  title: string;
  priority: PriorityLevel;
  status: IncidentStatus;
  chatId: string | null;
  cardMessageId: string | null;
  namespace: string | null;
  cluster: string | null;
  labels: Record<string, string>;
  resources: string[];
  firstSeen: number;
  lastSeen: number;
  ackedAt: number | null;
  ackedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolveNote: string | null;
  version: number;
}

export interface NewIncident {
  groupKey: string;
  title: string;
  priority: PriorityLevel;
  chatId: string | null;
  namespace: string | null;
  cluster: string | null;
  labels: Record<string, string>;
  resources: string[];
}

export type IncidentPatch = Partial<
  Pick<
    Incident,
    | 'title'
    | 'priority'
    | 'status'
    | 'chatId'
    | 'cardMessageId'
    | 'labels'
    | 'resources'
    | 'lastSeen'
    | 'ackedAt'
    | 'ackedBy'
    | 'resolvedAt'
    | 'resolvedBy'
    | 'resolveNote'
  >
>;

const COLUMN: Record<keyof IncidentPatch, string> = {
  title: 'title',
  priority: 'priority',
  status: 'status',
  chatId: 'chat_id',
  cardMessageId: 'card_message_id',
  labels: 'labels',
  resources: 'resources',
  lastSeen: 'last_seen',
  ackedAt: 'acked_at',
  ackedBy: 'acked_by',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  resolveNote: 'resolve_note',
};

export class IncidentsRepo {
  constructor(private readonly db: Db) {}

  create(input: NewIncident, now: number): Incident {
    const r = this.db
      .prepare(
        `INSERT INTO incidents (group_key, title, priority, chat_id, namespace, cluster, labels, resources,
           first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.groupKey,
        input.title,
        input.priority,
        input.chatId,
        input.namespace,
        input.cluster,
        toJson(input.labels),
        toJson(input.resources),
        now,
        now,
      );
    return this.get(Number(r.lastInsertRowid)) as Incident;
  }

  get(id: number): Incident | undefined {
    const row = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return row && toIncident(row);
  }

  /** The id of the newest unresolved incident for a group key, seen within the window. */
  findActive(groupKey: string, seenSince: number): number | undefined {
    const row = this.db
      .prepare(
        `SELECT id FROM incidents WHERE group_key = ? AND status != 'resolved' AND last_seen >= ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(groupKey, seenSince) as { id: number } | undefined;
    return row?.id;
  }

  /**
   * Applies a patch and bumps the version. With `expectedVersion`, the update only happens when nobody else
   * changed the incident first; returns the new incident, or undefined when that check failed.
   */
  update(id: number, patch: IncidentPatch, expectedVersion?: number): Incident | undefined {
    const keys = Object.keys(patch) as (keyof IncidentPatch)[];
    const sets = keys.map((k) => `${COLUMN[k]} = @${k}`);
    const params: Record<string, unknown> = { id };
    for (const k of keys) {
      const v = patch[k];
      params[k] = k === 'labels' || k === 'resources' ? toJson(v) : v;
    }
    let where = 'id = @id';
    if (expectedVersion !== undefined) {
      where += ' AND version = @expectedVersion';
      params.expectedVersion = expectedVersion;
    }
    const row = this.db
      .prepare(`UPDATE incidents SET ${[...sets, 'version = version + 1'].join(', ')} WHERE ${where} RETURNING *`)
      .get(params) as Row | undefined;
    return row && toIncident(row);
  }

  list(filter: { status?: IncidentStatus | 'active'; since?: number; limit?: number } = {}): Incident[] {
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
}

interface Row {
  id: number;
  group_key: string;
  title: string;
  priority: PriorityLevel;
  status: IncidentStatus;
  chat_id: string | null;
  card_message_id: string | null;
  namespace: string | null;
  cluster: string | null;
  labels: string;
  resources: string;
  first_seen: number;
  last_seen: number;
  acked_at: number | null;
  acked_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolve_note: string | null;
  version: number;
}

function toIncident(r: Row): Incident {
  return {
    id: r.id,
    groupKey: r.group_key,
    title: r.title,
    priority: r.priority,
    status: r.status,
    chatId: r.chat_id,
    cardMessageId: r.card_message_id,
    namespace: r.namespace,
    cluster: r.cluster,
    labels: fromJson(r.labels, {}),
    resources: fromJson(r.resources, []),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    ackedAt: r.acked_at,
    ackedBy: r.acked_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolveNote: r.resolve_note,
    version: r.version,
  };
}
