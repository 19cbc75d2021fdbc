/**
 * A bounded in-process queue for work that runs after Feishu has been answered: at most `concurrency` jobs at
 * once, at most `capacity` waiting. A full queue refuses new work (the caller answers 503, Feishu re-pushes).
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency = 4,
    private readonly capacity = 1000,
  ) {}

  get size(): number {
    return this.waiting.length + this.running;
  }

  isFull(): boolean {
    return this.waiting.length >= this.capacity;
  }

  /** Schedules a job; `false` when the queue is full. Job errors must be handled by the job itself. */
  push(job: () => Promise<void>): boolean {
    if (this.isFull()) return false;
    this.waiting.push(job);
    queueMicrotask(() => this.pump());
    return true;
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const job = this.waiting.shift();
      if (!job) break;
      this.running++;
      job()
        .catch(() => {})
        .finally(() => {
          this.running--;
          if (this.size === 0) for (const w of this.idleWaiters.splice(0)) w();
          else this.pump();
        });
    }
  }
}
