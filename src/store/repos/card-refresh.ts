/**
 * Live cards whose content changed and are due for a patch (survives a restart). This table decides *when* a
 * routine change (an alert repeated or joined) is rendered: at most once per card per `card_refresh_delay`,
 * so the intake's per-alert cost stays one `INSERT OR IGNORE` and a storm's card is patched a few times a
 * second at most (Feishu allows 5 messages a second per chat). The outbox's coalesce key is the second,
 * narrower step: of the rendered patches of one card still queued when the worker reaches them (immediate
 * patches such as an ack, or a chat held back by rate limits), only the newest is sent.
 */
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
