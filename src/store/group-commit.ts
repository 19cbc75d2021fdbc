/**
 * Group commit: every write that arrives while the event loop is busy is made in one SQLite transaction, and
 * each caller's promise settles only once its write is committed. Under a burst this turns hundreds of commits
 * into a few without ever acknowledging something that is not stored. Used by the Alertmanager intake (raw
 * bodies) and the Feishu receiver (event claims).
 */

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<I, R> {
  /** Runs a function in one transaction (`store.tx`). */
  tx: <T>(fn: () => T) => T;
  /** Writes a batch inside the transaction; one result per item, in order. */
  write: (items: I[]) => R[];
  /** Most items per transaction (the rest follow in the next turn). */
  maxBatch?: number;
  /** Told after a batch committed, before the callers' promises settle. */
  committed?: (items: I[], results: R[]) => void;
}

export class GroupCommit<I, R> {
  private waiting: Waiting<I, R>[] = [];
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(private readonly options: GroupCommitOptions<I, R>) {
    this.maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
  }

  /** Items waiting for their transaction. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves with the item's result once its transaction committed; rejects when that transaction failed. */
  add(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Commits the next batch now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.waiting.splice(0, this.maxBatch);
    if (this.waiting.length > 0) this.schedule();
    if (batch.length === 0) return;
    const items = batch.map((w) => w.item);
    let results: R[];
    try {
      results = this.options.tx(() => this.options.write(items));
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    this.options.committed?.(items, results);
    batch.forEach((w, i) => {
      w.resolve(results[i] as R);
    });
  }

  /** Commits everything waiting now (before a stop). */
  flushAll(): void {
    while (this.waiting.length > 0) this.flush();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      if (this.scheduled) this.flush();
    });
  }
}
