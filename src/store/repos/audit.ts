import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  decision: string | null;
  detail: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** Append-only record of every decision and every write: who, what, on what, and the outcome. */
export class AuditRepo {
  constructor(private readonly db: Db) {}

  record(entry: NewAuditEntry, now: number): number {
    const r = this.db
      .prepare('INSERT INTO audit_log (at, actor, action, target, decision, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(now, entry.actor, entry.action, entry.target, entry.decision, toJson(entry.detail));
    return Number(r.lastInsertRowid);
  }

  list(filter: { action?: string; target?: string; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.action) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.target) {
      where.push('target = ?');
      params.push(filter.target);
    }
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...params, filter.limit ?? 100) as Row[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      decision: r.decision,
      detail: fromJson(r.detail, {}),
    }));
  }
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
