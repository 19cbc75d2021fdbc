/** Live cards whose content changed and are due for a coalesced patch (survives a restart). */
import type { Db } from '../db.js';

export class CardRefreshRepo {
  constructor(private readonly db: Db) {}

  /** Marks a live card for a patch at `dueAt` (an earlier pending mark is kept). */
  mark(cardKey: string, dueAt: number): void {
    this.db.prepare('INSERT OR IGNORE INTO card_refresh (card_key, due_at) VALUES (?, ?)').run(cardKey, dueAt);
  }

  due(now: number, limit = 500): string[] {
    const rows = this.db
      .prepare('SELECT card_key FROM card_refresh WHERE due_at <= ? ORDER BY due_at LIMIT ?')
      .all(now, limit) as { card_key: string }[];
    return rows.map((r) => r.card_key);
  }

  clear(cardKey: string): void {
    this.db.prepare('DELETE FROM card_refresh WHERE card_key = ?').run(cardKey);
  }

  nextDueAt(): number | undefined {
    const r = this.db.prepare('SELECT MIN(due_at) AS t FROM card_refresh').get() as { t: number | null };
    return r.t ?? undefined;
  }
}
