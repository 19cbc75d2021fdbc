/** On-call overrides set in chat (table oncall_overrides, migration 010), in the order they were set. */
import type { Db } from '../db.js';

export interface OncallOverrideRow {
  id: number;
  rotation: string;
  who: string;
  startsAt: number;
  endsAt: number;
  createdBy: string;
  createdAt: number;
}

export interface NewOncallOverride {
  rotation: string;
  who: string;
  startsAt: number;
  endsAt: number;
  createdBy: string;
  /** What set it (e.g. `message:om_…`); the same source records once. */
  source: string;
}

interface Row {
  id: number;
  rotation: string;
  who: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  created_at: number;
}

const toOverride = (r: Row): OncallOverrideRow => ({
  id: r.id,
  rotation: r.rotation,
  who: r.who,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export class OncallOverridesRepo {
  private readonly insert;
  private readonly bySource;
  private readonly current;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO oncall_overrides (rotation, who, starts_at, ends_at, created_by, created_at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO NOTHING`,
    );
    this.bySource = db.prepare('SELECT * FROM oncall_overrides WHERE source = ?');
    this.current = db.prepare('SELECT * FROM oncall_overrides WHERE rotation = ? AND ends_at > ? ORDER BY id');
  }

  /** Records an override once per source; `created` is false when that source already recorded it. */
  add(o: NewOncallOverride, now: number): { override: OncallOverrideRow; created: boolean } {
    const r = this.insert.run(o.rotation, o.who, o.startsAt, o.endsAt, o.createdBy, now, o.source);
    const row = this.bySource.get(o.source) as Row;
    return { override: toOverride(row), created: r.changes > 0 };
  }

  /** Overrides of a rotation that have not ended by `at` (current and future), oldest first. */
  notEnded(rotation: string, at: number): OncallOverrideRow[] {
    return (this.current.all(rotation, at) as Row[]).map(toOverride);
  }
}
