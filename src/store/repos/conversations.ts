import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

export interface Conversation {
  id: number;
  chatId: string;
  threadKey: string;
  incidentId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface StoredMessage {
  id: number;
  conversationId: number;
  at: number;
  role: MessageRole;
  author: string | null;
  content: string;
  toolCalls: unknown[] | null;
  toolCallId: string | null;
}

/** The author of the row that holds an agent run's persisted state (never part of the memory window). */
export const RUN_STATE_AUTHOR = 'agent_run';

export interface StoredRun {
  runId: string;
  conversationId: number;
  status: string;
  state: unknown;
  updatedAt: number;
}

/**
 * Agent memory: one conversation per chat (or per thread), its messages in order. An agent run's state (a
 * versioned JSON document, see agent/run-state.ts) is kept with its conversation as one row authored
 * `agent_run`, keyed by the run id, so forgetting a conversation forgets its runs too.
 */
export class ConversationsRepo {
  constructor(private readonly db: Db) {}

  getOrCreate(chatId: string, threadKey: string, now: number, incidentId: number | null = null): Conversation {
    this.db
      .prepare(
        `INSERT INTO conversations (chat_id, thread_key, incident_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chat_id, thread_key) DO UPDATE SET updated_at = excluded.updated_at`,
      )
      .run(chatId, threadKey, incidentId, now, now);
    const r = this.db
      .prepare('SELECT * FROM conversations WHERE chat_id = ? AND thread_key = ?')
      .get(chatId, threadKey) as ConversationRow;
    return {
      id: r.id,
      chatId: r.chat_id,
      threadKey: r.thread_key,
      incidentId: r.incident_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  addMessage(
    conversationId: number,
    message: Omit<StoredMessage, 'id' | 'conversationId' | 'at'>,
    now: number,
  ): StoredMessage {
    const r = this.db
      .prepare(
        `INSERT INTO messages (conversation_id, at, role, author, content, tool_calls, tool_call_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        conversationId,
        now,
        message.role,
        message.author,
        message.content,
        message.toolCalls === null ? null : toJson(message.toolCalls),
        message.toolCallId,
      );
    return { id: Number(r.lastInsertRowid), conversationId, at: now, ...message };
  }

  /** The newest `limit` messages, oldest first (the window handed to the model). */
  recent(conversationId: number, limit: number): StoredMessage[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM messages WHERE conversation_id = ? AND (author IS NULL OR author != '${RUN_STATE_AUTHOR}')
         ORDER BY id DESC LIMIT ?`,
      )
      .all(conversationId, limit) as MessageRow[];
    return rows.reverse().map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      at: r.at,
      role: r.role,
      author: r.author,
      content: r.content,
      toolCalls: r.tool_calls === null ? null : fromJson<unknown[]>(r.tool_calls, []),
      toolCallId: r.tool_call_id,
    }));
  }

  /** Saves a run's state (insert or replace by run id); `status` is the state's own, for lookups. */
  saveRun(conversationId: number, runId: string, state: { status: string }, now: number): void {
    const json = toJson(state);
    const r = this.db
      .prepare(`UPDATE messages SET content = ?, at = ? WHERE author = '${RUN_STATE_AUTHOR}' AND tool_call_id = ?`)
      .run(json, now, runId);
    if (r.changes > 0) return;
    this.db
      .prepare(
        `INSERT INTO messages (conversation_id, at, role, author, content, tool_calls, tool_call_id)
         VALUES (?, ?, 'system', '${RUN_STATE_AUTHOR}', ?, NULL, ?)`,
      )
      .run(conversationId, now, json, runId);
  }

  loadRun(runId: string): StoredRun | undefined {
    const r = this.db
      .prepare(`SELECT * FROM messages WHERE author = '${RUN_STATE_AUTHOR}' AND tool_call_id = ?`)
      .get(runId) as MessageRow | undefined;
    return r && toRun(r);
  }

  /** Interrupted runs waiting for a decision on `approvalId`. */
  runsAwaiting(approvalId: string): StoredRun[] {
    const rows = this.db
      .prepare(
        `SELECT m.* FROM messages m WHERE m.author = '${RUN_STATE_AUTHOR}'
           AND json_extract(m.content, '$.status') = 'interrupted'
           AND EXISTS (SELECT 1 FROM json_each(m.content, '$.pending') p
                       WHERE json_extract(p.value, '$.approvalId') = ?)`,
      )
      .all(approvalId) as MessageRow[];
    return rows.map(toRun);
  }

  /** Interrupted runs (for catching up on decisions taken while the bot was down). */
  interruptedRuns(): StoredRun[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM messages WHERE author = '${RUN_STATE_AUTHOR}' AND json_extract(content, '$.status') = 'interrupted'`,
      )
      .all() as MessageRow[];
    return rows.map(toRun);
  }

  /** Forgets a chat's (or thread's) conversation and its messages; the number of messages removed. */
  forget(chatId: string, threadKey: string): number {
    const r = this.db
      .prepare(
        `DELETE FROM messages WHERE conversation_id IN
           (SELECT id FROM conversations WHERE chat_id = ? AND thread_key = ?)`,
      )
      .run(chatId, threadKey);
    this.db.prepare('DELETE FROM conversations WHERE chat_id = ? AND thread_key = ?').run(chatId, threadKey);
    return r.changes;
  }
}

function toRun(r: MessageRow): StoredRun {
  const state = fromJson<Record<string, unknown>>(r.content, {});
  return {
    runId: r.tool_call_id ?? '',
    conversationId: r.conversation_id,
    status: typeof state.status === 'string' ? state.status : 'unknown',
    state,
    updatedAt: r.at,
  };
}

interface ConversationRow {
  id: number;
  chat_id: string;
  thread_key: string;
  incident_id: number | null;
  created_at: number;
  updated_at: number;
}

interface MessageRow {
  id: number;
  conversation_id: number;
  at: number;
  role: MessageRole;
  author: string | null;
  content: string;
  tool_calls: string | null;
  tool_call_id: string | null;
}
