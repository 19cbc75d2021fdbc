/**
 * One serving process per database. `lockDatabase(path)` takes an exclusive hold on `<path>.lock` (a tiny
 * SQLite file beside the database) for as long as the bot runs; a second bot started on the same database is
 * refused with a `conflict` error naming the holder (pid, host, since when), so a mistaken second replica can
 * never post the same card twice.
 *
 * The hold is SQLite's own file lock (a write transaction left open on the lock file), so the kernel drops it
 * when the holding process dies however it dies: a crashed or OOM-killed bot never leaves a stale lock behind.
 * It works across processes and containers sharing one volume on one node (a ReadWriteOnce volume). The
 * database itself is not locked: `sqlite3 <path> ".backup …"` and other readers keep working.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CodedError } from '../shared/errors.js';

export interface DatabaseLock {
  /** The lock file held. */
  readonly path: string;
  /** Lets the next bot start; idempotent. */
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

const SCHEMA = 'CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)';

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function refuse(databasePath: string, lockPath: string, holder: Holder | undefined): CodedError {
  const who = holder
    ? `pid ${holder.pid} on host ${holder.host}, since ${holder.since}`
    : 'another process; it did not record who';
  return new CodedError(
    'conflict',
    `database ${databasePath} is already in use by another sre-nanobot (${who}). Only one bot may serve a ` +
      'database: stop the other one first (in Kubernetes: one replica with the Recreate strategy), or give ' +
      `this one its own DATABASE_PATH. The hold is on ${lockPath} and ends when that process exits.`,
    { detail: { lockPath, ...(holder ? { holder } : {}) } },
  );
}

function readHolder(db: Database.Database): Holder | undefined {
  try {
    return db.prepare('SELECT pid, host, since FROM holder LIMIT 1').get() as Holder | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the database's serving lock or throws a `conflict` CodedError saying who holds it. `:memory:` needs no
 * lock. `now` stamps the holder record (ISO time shown to the next one refused).
 */
export function lockDatabase(databasePath: string, now: () => number = Date.now): DatabaseLock {
  const lockPath = `${databasePath}.lock`;
  if (databasePath === ':memory:') return { path: lockPath, release: () => {} };
  // Rollback-journal mode on purpose: an open write transaction there blocks other writers, not readers, so
  // the one refused can still read who holds the lock.
  mkdirSync(dirname(lockPath), { recursive: true });
  const db = new Database(lockPath);
  const fail = (err: unknown): never => {
    db.close();
    throw err;
  };
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('busy_timeout = 0');
  } catch (err) {
    if (isBusy(err)) fail(refuse(databasePath, lockPath, readHolder(db)));
    fail(err);
  }
  const begin = () => {
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if (!isBusy(err)) throw err;
      db.pragma('busy_timeout = 1000');
      throw refuse(databasePath, lockPath, readHolder(db));
    }
  };
  try {
    begin();
    db.exec(SCHEMA);
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid, host, since) VALUES (?, ?, ?)').run(
      process.pid,
      hostname(),
      new Date(now()).toISOString(),
    );
    db.exec('COMMIT');
    // From here on the open transaction is the lock: nothing is written in it, it is never committed.
    begin();
  } catch (err) {
    fail(err);
  }
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    },
  };
}
