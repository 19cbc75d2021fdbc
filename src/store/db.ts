import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations as builtInMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Defaults to the product's migrations; tests pass their own to exercise upgrades. */
  migrations?: readonly Migration[];
  busyTimeoutMs?: number;
}

/**
 * Open (creating if needed) the SQLite database: WAL, a busy timeout, foreign keys, and every pending
 * migration applied in order. An old database is upgraded in place; a newer one than this build knows is
 * refused rather than guessed at.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  try {
    migrate(db, options.migrations ?? builtInMigrations);
  } catch (err) {
    db.close();
    throw err;
  }
  cacheStatements(db);
  return db;
}

/**
 * Repositories call `db.prepare(sql)` for every query; compiling SQL costs more than running most of them, so
 * statements are compiled once per SQL text and reused. (A cached statement must not be switched into
 * pluck/raw/expand mode by a caller: those modes stick to the statement.)
 */
function cacheStatements(db: Db): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size >= 500) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  }) as Db['prepare'];
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  // user_version is a high-water mark, so a gap would let a late-added migration be skipped forever.
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `migrations must be numbered 1, 2, 3, … without gaps; found ${m.version} (${m.name}) at ${i + 1}`,
      );
    }
  });
  const current = schemaVersion(db);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(
      `database schema version ${current} is newer than this build supports (${latest}); upgrade sre-nanobot`,
    );
  }
  const applied: number[] = [];
  for (const m of ordered) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
