import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../src/store/db.js';
import { Store } from '../../../src/store/index.js';
import { migrations } from '../../../src/store/migrations/index.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'nanobot-db-')), 'test.db');
const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrations', () => {
  it('creates every table on a fresh database, in WAL mode', () => {
    const db = openDatabase(tmp());
    expect(schemaVersion(db)).toBe(Math.max(...migrations.map((m) => m.version)));
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'processed_events',
        'alert_webhooks',
        'alerts',
        'incidents',
        'incident_timeline',
        'conversations',
        'messages',
        'approvals',
        'runbook_runs',
        'outbox',
        'audit_log',
      ]),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('upgrades an older database in place and keeps its rows', () => {
    const path = tmp();
    const v1 = [{ version: 1, name: 'one', sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);' }];
    const old = openDatabase(path, { migrations: v1 });
    old.prepare("INSERT INTO things (name) VALUES ('kept')").run();
    old.close();

    const v2 = [...v1, { version: 2, name: 'two', sql: "ALTER TABLE things ADD COLUMN colour TEXT DEFAULT 'red';" }];
    const db = openDatabase(path, { migrations: v2 });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT name, colour FROM things').get()).toEqual({ name: 'kept', colour: 'red' });
    expect(migrate(db, v2)).toEqual([]); // idempotent
    db.close();
  });

  it('rolls back a failing migration and leaves the version where it was', () => {
    const path = tmp();
    const ok = [{ version: 1, name: 'one', sql: 'CREATE TABLE a (id INTEGER);' }];
    openDatabase(path, { migrations: ok }).close();
    const broken = [...ok, { version: 2, name: 'two', sql: 'CREATE TABLE b (id INTEGER); SELECT * FROM nowhere;' }];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(/no such table: nowhere/);
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('b');
    db.close();
  });

  it('refuses gaps in the numbering, which would skip a late-added migration', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_m, i) => i + 1));
    const gapped = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (id INTEGER);' },
      { version: 3, name: 'three', sql: 'CREATE TABLE c (id INTEGER);' },
    ];
    expect(() => openDatabase(tmp(), { migrations: gapped })).toThrow(/without gaps; found 3 \(three\) at 2/);
  });

  it('refuses a database written by a newer build', () => {
    const path = tmp();
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(path)).toThrow(/schema version 999 is newer than this build supports/);
  });
});

describe('migration 005: the domain model', () => {
  it('turns stored "namespace/kind/name" resources into resource refs and records queued cards', () => {
    const path = tmp();
    const old = openDatabase(path, { migrations: migrations.slice(0, 4) });
    old
      .prepare(
        `INSERT INTO incidents (group_key, title, priority, cluster, resources, first_seen, last_seen, card_key)
         VALUES ('k', 't', 'P2', 'prod', '["shop/deployment/checkout","/node/n1"]', 1, 1, 'incident:1')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO outbox (chat_id, kind, payload, dedupe_key, next_attempt_at, created_at, feishu_message_id)
         VALUES ('oc_1', 'send_card', '{}', 'send_card:incident:1', 1, 1, 'om_1')`,
      )
      .run();
    old.close();
    const store = new Store(openDatabase(path));
    expect(store.incidents.get(1)?.resources).toEqual([
      { cluster: 'prod', kind: 'deployment', namespace: 'shop', name: 'checkout' },
      { cluster: 'prod', kind: 'node', name: 'n1' },
    ]);
    expect(store.cards.messageId('incident:1')).toBe('om_1');
    expect(store.cards.cardKeyOf('om_1')).toBe('incident:1');
    const columns = (store.db.prepare('PRAGMA table_info(incidents)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('card_message_id');
    expect(columns).not.toContain('card_key');
    store.close();
  });
});
