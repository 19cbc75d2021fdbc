import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.js';
import { Store } from '../../../src/store/index.js';
import { migrations } from '../../../src/store/migrations/index.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'nanobot-db-')), 'test.db');
const tokenPayload = (token: string) =>
  JSON.stringify({ kind: 'card_update_token', chatId: 'oc_1', token, card: { elements: [] } });

describe('migration 008: dead card state', () => {
  it('drops approvals.card_message_id and the card token of outbox rows that already ended', () => {
    const path = tmp();
    const old = openDatabase(path, { migrations: migrations.slice(0, 7) });
    const insert = old.prepare(
      `INSERT INTO outbox (chat_id, kind, payload, status, next_attempt_at, created_at)
       VALUES ('oc_1', 'card_update_token', ?, ?, 1, 1)`,
    );
    insert.run(tokenPayload('c-sent'), 'sent');
    insert.run(tokenPayload('c-failed'), 'failed');
    insert.run(tokenPayload('c-pending'), 'pending');
    old.close();

    const store = new Store(openDatabase(path));
    try {
      const columns = (store.db.prepare('PRAGMA table_info(approvals)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain('card_message_id');
      const [sent, failed, pending] = [1, 2, 3].map((id) => store.outbox.get(id)?.payload);
      expect(sent).toEqual({ kind: 'card_update_token', chatId: 'oc_1', card: { elements: [] } });
      expect(failed).not.toHaveProperty('token');
      expect(pending).toMatchObject({ token: 'c-pending' });
    } finally {
      store.close();
    }
  });
});

describe('outbox: a click card token lives only while the update is pending', () => {
  it('is removed when the update is sent or given up, and nothing else in the payload changes', () => {
    const store = Store.open(':memory:');
    try {
      const card = { elements: [{ tag: 'markdown', content: 'acked' }] };
      const sent = store.outbox.enqueueMessage({ kind: 'card_update_token', chatId: 'oc_1', token: 'c-1', card }, 1);
      const failed = store.outbox.enqueueMessage({ kind: 'card_update_token', chatId: 'oc_2', token: 'c-2', card }, 1);
      const text = store.outbox.enqueueMessage({ kind: 'send_text', chatId: 'oc_3', text: 'token stays' }, 1);
      expect(store.outbox.get(sent)?.payload).toMatchObject({ token: 'c-1' });
      store.outbox.markSent(sent, null, 2);
      store.outbox.markFailed(failed, 'expired');
      store.outbox.markSent(text, 'om_1', 2);
      expect(store.outbox.get(sent)?.payload).toEqual({ kind: 'card_update_token', chatId: 'oc_1', card });
      expect(store.outbox.get(failed)?.payload).not.toHaveProperty('token');
      expect(store.outbox.get(text)?.payload).toEqual({ kind: 'send_text', chatId: 'oc_3', text: 'token stays' });
    } finally {
      store.close();
    }
  });
});
