/**
 * The console's read models (this folder is the console's only SQL): indexed reads over the store, returning
 * typed rows, kept apart from the pages so that shared report queries can replace them one by one. Every list
 * is paged on the server.
 */
import { z } from 'zod';
import { PrioritySchema } from '../../alerts/model.js';
import { type Incident, IncidentStatusSchema } from '../../incidents/model.js';
import type { Store } from '../../store/index.js';
import { startOfDay } from './overview.js';

export const PAGE_SIZE = 50;

const text = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((s) => (s ? s : undefined));
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A time: epoch ms, an ISO 8601 timestamp, or a calendar day (`2026-01-31`, the whole day in the bot's zone). */
const time = z
  .string()
  .trim()
  .optional()
  .transform((s, ctx) => {
    if (!s) return undefined;
    const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be a date such as 2026-01-31 or 2026-01-31T08:00' });
      return z.NEVER;
    }
    return DAY.test(s) ? { day: ms } : { at: ms };
  });
const page = z.coerce.number().int().min(1).max(100_000).catch(1);

export const IncidentFilterSchema = z.object({
  status: z
    .union([IncidentStatusSchema, z.literal('active'), z.literal('')])
    .optional()
    .transform((s) => s || undefined),
  priority: z
    .union([PrioritySchema, z.literal('')])
    .optional()
    .transform((s) => s || undefined),
  namespace: text,
  cluster: text,
  q: text,
  since: time,
  until: time,
  page,
});
export type IncidentFilter = z.infer<typeof IncidentFilterSchema>;

export interface IncidentRow {
  id: number;
  title: string;
  priority: Incident['priority'];
  status: Incident['status'];
  namespace: string | null;
  cluster: string | null;
  firstSeen: number;
  lastSeen: number;
  ackedBy: string | null;
  resolvedAt: number | null;
}

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
}

/** `%` and `_` taken literally in a LIKE pattern. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Where a time filter starts or ends: a calendar day starts at its midnight in `timeZone`; `until` includes it. */
export function bound(t: IncidentFilter['since'], timeZone: string, end: boolean): number | undefined {
  if (!t) return undefined;
  if (t.at !== undefined) return t.at;
  const start = startOfDay((t.day ?? 0) + 12 * 3_600_000, timeZone);
  return end ? startOfDay(start + 36 * 3_600_000, timeZone) : start;
}

export function listIncidents(
  store: Store,
  f: IncidentFilter,
  pageSize = PAGE_SIZE,
  timeZone = 'UTC',
): Paged<IncidentRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status === 'active') where.push("status != 'resolved'");
  else if (f.status) {
    where.push('status = ?');
    params.push(f.status);
  }
  for (const [col, v] of [
    ['priority', f.priority],
    ['namespace', f.namespace],
    ['cluster', f.cluster],
  ] as const) {
    if (v === undefined) continue;
    where.push(`${col} = ?`);
    params.push(v);
  }
  const since = bound(f.since, timeZone, false);
  const until = bound(f.until, timeZone, true);
  if (since !== undefined) {
    where.push('first_seen >= ?');
    params.push(since);
  }
  if (until !== undefined) {
    where.push('first_seen < ?');
    params.push(until);
  }
  if (f.q) {
    // Every word must appear in the title or the labels (names and values), case-insensitively.
    for (const word of f.q.split(/\s+/).slice(0, 8)) {
      where.push("(title LIKE ? ESCAPE '\\' OR labels LIKE ? ESCAPE '\\')");
      const p = `%${likeEscape(word)}%`;
      params.push(p, p);
    }
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const select = store.db.prepare(
    `SELECT id, title, priority, status, namespace, cluster, first_seen AS firstSeen, last_seen AS lastSeen,
            acked_by AS ackedBy, resolved_at AS resolvedAt
     FROM incidents ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
  );
  const page = (n: number) => select.all(...params, pageSize, (n - 1) * pageSize) as IncidentRow[];
  // A first page that is not full is the whole answer: no second scan to count it.
  const first = f.page === 1 ? page(1) : undefined;
  if (first && first.length < pageSize) return { rows: first, total: first.length, page: 1, pages: 1 };
  const total = (store.db.prepare(`SELECT count(*) AS n FROM incidents ${clause}`).get(...params) as { n: number }).n;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(f.page, pages);
  const rows = current === 1 && first ? first : page(current);
  return { rows, total, page: current, pages };
}

interface CachedValues {
  value: { namespaces: string[]; clusters: string[] } | undefined;
  at: number;
  /** A new incident was opened since `value` was read. */
  dirty: boolean;
}
const valueCache = new WeakMap<Store, CachedValues>();
/** The pickers' values are re-read at most every 10 s, and only after a new incident may have added one. */
const VALUES_TTL_MS = 10_000;

/** Distinct values for the filter pickers (namespaces and clusters seen). */
export function filterValues(store: Store): { namespaces: string[]; clusters: string[] } {
  let cached = valueCache.get(store);
  if (!cached) {
    const entry: CachedValues = { value: undefined, at: 0, dirty: false };
    store.bus.subscribe((events) => {
      if (events.some((e) => e.type === 'incident.opened')) entry.dirty = true;
    });
    valueCache.set(store, entry);
    cached = entry;
  }
  if (!cached.value || (cached.dirty && performance.now() - cached.at >= VALUES_TTL_MS)) {
    const col = (c: 'namespace' | 'cluster') =>
      (
        store.db
          .prepare(`SELECT DISTINCT ${c} AS v FROM incidents WHERE ${c} IS NOT NULL ORDER BY ${c} LIMIT 200`)
          .all() as { v: string }[]
      ).map((r) => r.v);
    cached.value = { namespaces: col('namespace'), clusters: col('cluster') };
    cached.at = performance.now();
    cached.dirty = false;
  }
  return cached.value;
}

export interface SentCard {
  id: number;
  kind: string;
  at: number;
  status: string;
  card: Record<string, unknown>;
}

/** The cards sent about an incident: the first message and the newest version of it (patches coalesce). */
export function cardsOf(store: Store, incidentId: number): SentCard[] {
  const rows = store.db
    .prepare(
      `SELECT id, kind, created_at AS at, status, payload FROM outbox
       WHERE ref = ? AND kind IN ('send_card', 'patch_card') AND status != 'superseded' ORDER BY id`,
    )
    .all(`incident:${incidentId}`) as { id: number; kind: string; at: number; status: string; payload: string }[];
  const picked = rows.length > 1 ? [rows[0], rows[rows.length - 1]] : rows;
  return picked.flatMap((r) => {
    if (!r) return [];
    try {
      const payload = JSON.parse(r.payload) as { card?: Record<string, unknown> };
      return payload.card ? [{ id: r.id, kind: r.kind, at: r.at, status: r.status, card: payload.card }] : [];
    } catch {
      return [];
    }
  });
}

export interface RunRow {
  id: string;
  runbookId: string;
  incidentId: number | null;
  state: string;
  stepIndex: number;
  requestedBy: string;
  approvedBy: string | null;
  createdAt: number;
  updatedAt: number;
  data: string;
}

const RUN_COLUMNS = `id, runbook_id AS runbookId, incident_id AS incidentId, state, step_index AS stepIndex,
  requested_by AS requestedBy, approved_by AS approvedBy, created_at AS createdAt, updated_at AS updatedAt, data`;

export function runsOfIncident(store: Store, incidentId: number): RunRow[] {
  return store.db
    .prepare(`SELECT ${RUN_COLUMNS} FROM runbook_runs WHERE incident_id = ? ORDER BY created_at`)
    .all(incidentId) as RunRow[];
}

export function recentRuns(store: Store, runbookId: string, limit = 5): RunRow[] {
  return store.db
    .prepare(`SELECT ${RUN_COLUMNS} FROM runbook_runs WHERE runbook_id = ? ORDER BY created_at DESC LIMIT ?`)
    .all(runbookId, limit) as RunRow[];
}

/** Finished runs per runbook since `since`: how many, and how many succeeded. */
export function runOutcomes(store: Store, since: number): Map<string, { total: number; ok: number }> {
  const rows = store.db
    .prepare(
      `SELECT runbook_id AS id, count(*) AS total, sum(state = 'succeeded') AS ok FROM runbook_runs
       WHERE created_at >= ? AND state IN ('succeeded','failed','rolled_back','interrupted') GROUP BY runbook_id`,
    )
    .all(since) as { id: string; total: number; ok: number }[];
  return new Map(rows.map((r) => [r.id, { total: r.total, ok: r.ok }]));
}

export function approvalIdsOfIncident(store: Store, incidentId: number): string[] {
  return (
    store.db.prepare('SELECT id FROM approvals WHERE incident_id = ? ORDER BY created_at').all(incidentId) as {
      id: string;
    }[]
  ).map((r) => r.id);
}

export function decidedApprovalIds(store: Store, limit = 50): string[] {
  return (
    store.db
      .prepare(
        "SELECT id FROM approvals WHERE status != 'pending' ORDER BY coalesce(decided_at, created_at) DESC LIMIT ?",
      )
      .all(limit) as { id: string }[]
  ).map((r) => r.id);
}
