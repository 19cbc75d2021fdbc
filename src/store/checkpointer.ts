/**
 * WAL checkpoints off the request path. SQLite normally checkpoints inside whichever commit crosses
 * `wal_autocheckpoint` pages, fsyncing the database file while that request (and the event loop) waits. With
 * a background checkpointer the main connection never checkpoints; a worker thread with its own connection
 * runs PASSIVE checkpoints (which never block writers) on an interval instead.
 *
 * SQLite only starts the WAL over when a write begins while every frame has been copied back; with writes
 * arriving every few milliseconds that moment never comes while the worker's checkpoint (and its fsync) runs,
 * so under sustained load the WAL keeps growing. Once it passes `maxWalPages`, the main connection therefore
 * runs one RESTART checkpoint itself right after a background one: only the frames written meanwhile are left
 * to copy, and the WAL starts over from its beginning (measured under a sustained 50-alert-body load: 6–34 ms,
 * against 30–70 ms for a TRUNCATE, which also shrinks the file on the spot). `journal_size_limit` trims the WAL
 * file back when it starts over.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const run = () => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage(String(err));
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  run();
  db.close();
  parentPort.postMessage('stopped');
});
`;

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(
    db: Db,
    path: string,
    options: { intervalMs?: number; maxWalPages?: number; onError?: (message: string) => void } = {},
  ) {
    const intervalMs = options.intervalMs ?? 100;
    const maxWalPages = options.maxWalPages ?? 16_384;
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${maxWalPages * 4096}`);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver } });
    this.worker.unref();
    this.worker.on('message', (m: unknown) => {
      if (m === 'stopped') return;
      if (typeof m === 'string') options.onError?.(m);
      else if (db.open && (m as { log: number }).log > maxWalPages) db.pragma('wal_checkpoint(RESTART)');
    });
    this.worker.on('error', (err) => options.onError?.(err.message));
  }

  /** Runs a last checkpoint and ends the worker. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('message', done);
      this.worker.once('exit', done);
      this.worker.postMessage('stop');
      setTimeout(done, 5_000).unref();
    });
    await this.worker.terminate();
  }
}
