/**
 * WAL checkpoints off the request path. SQLite normally checkpoints inside whichever commit crosses
 * `wal_autocheckpoint` pages, fsyncing the database file while that request (and the event loop) waits. With
 * a background checkpointer the main connection never checkpoints; a worker thread with its own connection
 * runs PASSIVE checkpoints (which never block writers) on an interval instead. If writes outpace it for long
 * enough that the WAL passes `maxWalPages`, the main connection checkpoints once itself (TRUNCATE), so the WAL
 * cannot grow without bound.
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
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver } });
    this.worker.unref();
    this.worker.on('message', (m: unknown) => {
      if (m === 'stopped') return;
      if (typeof m === 'string') options.onError?.(m);
      else if (db.open && (m as { log: number }).log > maxWalPages) db.pragma('wal_checkpoint(TRUNCATE)');
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
