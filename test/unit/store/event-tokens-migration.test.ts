/** Migration 007 on a database written before it: stored Feishu events lose their tokens, nothing else. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../src/store/db.js';
import { migrations } from '../../../src/store/migrations/index.js';
import { cardEvent, examples, messageEvent, VERIFICATION_TOKEN } from '../../helpers/feishu.js';

const CARD_TOKEN: string = examples.card_action_trigger_button.body.event.token;

describe('migration 007: event tokens scrubbed', () => {
  it('removes header.token and the card token from stored events and keeps the rest', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nanobot-m007-')), 'db.sqlite');
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 7) });
    const insert = before.prepare(
      "INSERT INTO processed_events (id, kind, received_at, status, payload) VALUES (?, ?, 1, 'handled', ?)",
    );
    const message = messageEvent({ messageId: 'om_old' });
    const click = cardEvent({ action: 'ack', incidentId: 3 }, 'ev_old_card');
    insert.run('om_old', 'im.message.receive_v1', JSON.stringify(message));
    insert.run('ev_old_card', 'card.action.trigger', JSON.stringify(click));
    insert.run('ev_odd', 'something.else', 'not json');
    before.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(7);
    const rows = db.prepare('SELECT id, payload FROM processed_events ORDER BY id').all() as {
      id: string;
      payload: string;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r.payload]));
    const storedMessage = JSON.parse(byId.get('om_old') ?? '{}');
    const { token: _t, ...headerWithoutToken } = message.header;
    expect(storedMessage).toEqual({ ...message, header: headerWithoutToken });
    const storedClick = JSON.parse(byId.get('ev_old_card') ?? '{}');
    expect(storedClick.header).not.toHaveProperty('token');
    expect(storedClick.event).not.toHaveProperty('token');
    expect(storedClick.event.action.value).toEqual({ action: 'ack', incidentId: 3 });
    expect(byId.get('ev_odd')).toBe('not json');
    const all = JSON.stringify(rows);
    expect(all).not.toContain(VERIFICATION_TOKEN);
    expect(all).not.toContain(CARD_TOKEN);
    db.close();
  });
});
