/**
 * Live cards (table feishu_cards): the one record that a card exists. A row is written when the card's first
 * message is queued and gets its Feishu message id once Feishu accepted it, so it answers both "which message
 * shows card K" and "which card is message M" (a click is checked against the card it came from).
 */
import type { Db } from '../db.js';

export class CardsRepo {
  constructor(private readonly db: Db) {}

  /** Records that card `cardKey` was queued for `chatId`; false when it already existed. */
  claim(cardKey: string, chatId: string, now: number): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO feishu_cards (card_key, chat_id, message_id, updated_at) VALUES (?, ?, NULL, ?)')
      .run(cardKey, chatId, now);
    return r.changes === 1;
  }

  has(cardKey: string): boolean {
    return this.db.prepare('SELECT 1 FROM feishu_cards WHERE card_key = ?').get(cardKey) !== undefined;
  }

  /** The Feishu message id of a live card, once its first message went out. */
  messageId(cardKey: string): string | undefined {
    const r = this.db.prepare('SELECT message_id FROM feishu_cards WHERE card_key = ?').get(cardKey) as
      | { message_id: string | null }
      | undefined;
    return r?.message_id ?? undefined;
  }

  /** The card a Feishu message shows, if it is one of ours. */
  cardKeyOf(messageId: string): string | undefined {
    const r = this.db.prepare('SELECT card_key FROM feishu_cards WHERE message_id = ?').get(messageId) as
      | { card_key: string }
      | undefined;
    return r?.card_key;
  }

  record(cardKey: string, chatId: string, messageId: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO feishu_cards (card_key, chat_id, message_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (card_key) DO UPDATE SET message_id = excluded.message_id, updated_at = excluded.updated_at`,
      )
      .run(cardKey, chatId, messageId, now);
  }
}
