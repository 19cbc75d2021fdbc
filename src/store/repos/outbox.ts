import type { OutgoingMessage } from '../../ports/feishu.js';
import type { DomainEvent } from '../../shared/domain-events.js';
import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'superseded';

export interface OutboxItem {
  id: number;
  chatId: string;
  kind: string;
  payload: Record<string, unknown>;
  dedupeKey: string | null;
  coalesceKey: string | null;
  ref: string | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  feishuMessageId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface NewOutboxItem {
  chatId: string;
  kind: string;
  payload: Record<string, unknown>;
  /** Same key twice → one message. */
  dedupeKey?: string;
  /** Newer pending items with the same key supersede older pending ones (e.g. successive card patches). */
  coalesceKey?: string;
  ref?: string;
}

/** A finished item keeps no delayed-update card token: only a pending one needs it. */
const SCRUB_TOKEN = "CASE WHEN kind = 'card_update_token' THEN json_remove(payload, '$.token') ELSE payload END";

/**
 * Every outgoing Feishu call waits here until Feishu accepted it. Producers enqueue inside the transaction
 * of the state change that caused the message; a worker drains it, one item per chat at a time, in order.
 */
export class OutboxRepo {
  constructor(
    private readonly db: Db,
    private readonly emit: (e: DomainEvent) => void,
  ) {}

  /** Returns the id of the queued item (the existing one when the dedupe key was seen before). */
  enqueue(item: NewOutboxItem, now: number): number {
    if (item.dedupeKey) {
      const existing = this.db.prepare('SELECT id FROM outbox WHERE dedupe_key = ?').get(item.dedupeKey) as
        | { id: number }
        | undefined;
      if (existing) return existing.id;
    }
    if (item.coalesceKey) {
      this.db
        .prepare(
          "UPDATE outbox SET status = 'superseded', payload = '{}' WHERE coalesce_key = ? AND status = 'pending' AND attempts = 0",
        )
        .run(item.coalesceKey);
    }
    const r = this.db
      .prepare(
        `INSERT INTO outbox (chat_id, kind, payload, dedupe_key, coalesce_key, ref, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        item.chatId,
        item.kind,
        toJson(item.payload),
        item.dedupeKey ?? null,
        item.coalesceKey ?? null,
        item.ref ?? null,
        now,
        now,
      );
    const id = Number(r.lastInsertRowid);
    this.emit({ type: 'message.queued', outboxId: id, chatId: item.chatId });
    return id;
  }

  /**
   * Queues a typed Feishu message. Card patches coalesce per card (only the newest queued patch is sent: a
   * rendered card replaces an unsent older rendering; how often routine changes get rendered at all is the
   * `card_refresh` table's delay), and
   * the first card sent for a key is the only one: a repeated send_card for the same key is ignored.
   */
  enqueueMessage(message: OutgoingMessage, now: number, options: { dedupeKey?: string; ref?: string } = {}): number {
    const item: NewOutboxItem = {
      chatId: message.chatId,
      kind: message.kind,
      payload: message as unknown as Record<string, unknown>,
    };
    if (options.ref) item.ref = options.ref;
    if (options.dedupeKey) item.dedupeKey = options.dedupeKey;
    else if (message.kind === 'send_card') item.dedupeKey = `send_card:${message.cardKey}`;
    if (message.kind === 'patch_card') item.coalesceKey = `patch_card:${message.cardKey}`;
    return this.enqueue(item, now);
  }

  get(id: number): OutboxItem | undefined {
    const row = this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as Row | undefined;
    return row && toItem(row);
  }

  /** The head of each chat's queue that is due now: per-chat order is kept by never skipping a head. */
  due(now: number, limit: number): OutboxItem[] {
    const rows = this.db
      .prepare(
        `SELECT o.* FROM outbox o
         WHERE o.status = 'pending'
           AND o.id = (SELECT MIN(id) FROM outbox h WHERE h.chat_id = o.chat_id AND h.status = 'pending')
           AND o.next_attempt_at <= ?
         ORDER BY o.next_attempt_at, o.id LIMIT ?`,
      )
      .all(now, limit) as Row[];
    return rows.map(toItem);
  }

  /** When the next pending item becomes due, for a worker that sleeps until then. */
  nextDueAt(): number | undefined {
    const r = this.db.prepare("SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending'").get() as {
      t: number | null;
    };
    return r.t ?? undefined;
  }

  /** Marks an item delivered; a click's delayed-update card token (a 30-minute credential) is dropped with it. */
  markSent(id: number, feishuMessageId: string | null, now: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'sent', feishu_message_id = ?, sent_at = ?, attempts = attempts + 1, last_error = NULL,
           payload = ${SCRUB_TOKEN} WHERE id = ?`,
      )
      .run(feishuMessageId, now, id);
  }

  retryLater(id: number, error: string, nextAttemptAt: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(error, nextAttemptAt, id);
  }

  /**
   * Drops a pending item that a newer pending item with the same coalesce key replaces (e.g. a card patch
   * that kept failing while newer patches queued up); `true` when it was dropped.
   */
  supersedeIfNewer(id: number): boolean {
    const r = this.db
      .prepare(
        `UPDATE outbox SET status = 'superseded', payload = '{}' WHERE id = ? AND status = 'pending' AND coalesce_key IS NOT NULL
           AND EXISTS (SELECT 1 FROM outbox n WHERE n.coalesce_key = outbox.coalesce_key AND n.status = 'pending' AND n.id > outbox.id)`,
      )
      .run(id);
    return r.changes === 1;
  }

  markFailed(id: number, error: string): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, payload = ${SCRUB_TOKEN} WHERE id = ?`,
      )
      .run(error, id);
  }

  countByStatus(): Record<OutboxStatus, number> {
    const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, superseded: 0 };
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as {
      status: OutboxStatus;
      n: number;
    }[];
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** New incident cards queued for a chat since `since` (the storm detector's sliding window). */
  cardsSentSince(chatId: string, since: number): number {
    const r = this.db
      .prepare(
        "SELECT COUNT(*) AS n FROM outbox WHERE chat_id = ? AND kind = 'send_card' AND created_at >= ? AND ref LIKE 'incident:%'",
      )
      .get(chatId, since) as { n: number };
    return r.n;
  }

  byRef(ref: string): OutboxItem[] {
    const rows = this.db.prepare('SELECT * FROM outbox WHERE ref = ? ORDER BY id').all(ref) as Row[];
    return rows.map(toItem);
  }
}

interface Row {
  id: number;
  chat_id: string;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  coalesce_key: string | null;
  ref: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  feishu_message_id: string | null;
  created_at: number;
  sent_at: number | null;
}

function toItem(r: Row): OutboxItem {
  return {
    id: r.id,
    chatId: r.chat_id,
    kind: r.kind,
    payload: fromJson(r.payload, {}),
    dedupeKey: r.dedupe_key,
    coalesceKey: r.coalesce_key,
    ref: r.ref,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    feishuMessageId: r.feishu_message_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}
