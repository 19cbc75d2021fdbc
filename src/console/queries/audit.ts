/** The audit log as the console filters, pages and exports it (CSV, RFC 4180, secrets redacted). */
import { z } from 'zod';
import { redactText, redactValue } from '../../shared/redact.js';
import type { Store } from '../../store/index.js';
import type { AuditEntry } from '../../store/repos/audit.js';
import { likeEscape, PAGE_SIZE, type Paged } from './incidents.js';

const text = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((s) => (s ? s : undefined));
export const AuditFilterSchema = z.object({
  actor: text,
  /** A prefix: `incident.` finds incident.ack and incident.resolve. */
  action: text,
  target: text,
  decision: text,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

function where(f: AuditFilter): { clause: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.actor) {
    parts.push('actor = ?');
    params.push(f.actor);
  }
  if (f.action) {
    parts.push("action LIKE ? ESCAPE '\\'");
    params.push(`${likeEscape(f.action)}%`);
  }
  if (f.target) {
    parts.push('target = ?');
    params.push(f.target);
  }
  if (f.decision) {
    parts.push('decision = ?');
    params.push(f.decision);
  }
  return { clause: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

interface Row {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  decision: string | null;
  detail: string;
}

const toEntry = (r: Row): AuditEntry => {
  let detail: Record<string, unknown> = {};
  try {
    detail = redactValue(JSON.parse(r.detail) as Record<string, unknown>);
  } catch {
    detail = { raw: redactText(r.detail) };
  }
  return { id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, decision: r.decision, detail };
};

export function listAudit(store: Store, f: AuditFilter, pageSize = PAGE_SIZE): Paged<AuditEntry> {
  const { clause, params } = where(f);
  const total = (store.db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number }).n;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(f.page, pages);
  const rows = store.db
    .prepare(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...params, pageSize, (page - 1) * pageSize) as Row[];
  return { rows: rows.map(toEntry), total, page, pages };
}

/** Every matching row (newest first, at most `limit`), as CSV lines with a header; times in ISO 8601 UTC. */
export function* auditCsv(store: Store, f: AuditFilter, limit = 100_000): Generator<string> {
  const { clause, params } = where(f);
  yield 'id,time,actor,action,target,decision,detail\r\n';
  const stmt = store.db.prepare(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ?`);
  for (const r of stmt.iterate(...params, limit) as Iterable<Row>) {
    const e = toEntry(r);
    const cells = [
      String(e.id),
      new Date(e.at).toISOString(),
      e.actor,
      e.action,
      e.target ?? '',
      e.decision ?? '',
      JSON.stringify(e.detail),
    ];
    yield `${cells.map(csvCell).join(',')}\r\n`;
  }
}

/** A CSV cell: quoted when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
