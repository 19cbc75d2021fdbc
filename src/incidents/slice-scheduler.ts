/**
 * When the intake applies stored bodies: one slice at a time, each on its own turn of the event loop. While
 * bodies keep arriving, a slice is followed by a rest long enough for applying to keep to `applyShare` of the
 * event loop, so acknowledging (the webhook's 200) gets the rest; with nothing arriving, slices follow each
 * other at once. A slice that failed as a whole is retried after a second.
 */

export interface SliceSchedulerOptions {
  /** The share of the event loop applying may take while bodies arrive (0.05–1). */
  applyShare: number;
  /** A monotonic clock in ms. */
  elapsed: () => number;
  /** Whether there is work and the intake is running. */
  ready: () => boolean;
  /** Runs one slice; false when its transaction failed (retried in a second). */
  slice: () => boolean;
}

export class SliceScheduler {
  private scheduled = false;
  /** Bodies accepted since the last slice started: requests are competing for the event loop. */
  private arrivals = 0;
  /** No slice before this time (`elapsed()`), so applying keeps to its share under contention. */
  private restUntil = 0;
  private restTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: SliceSchedulerOptions) {}

  /** Bodies arrived (they compete with applying for the event loop). */
  arrived(n: number): void {
    this.arrivals += n;
  }

  /** What waited before the start is backlog, not arrivals competing with it. */
  forgetArrivals(): void {
    this.arrivals = 0;
  }

  schedule(): void {
    if (this.stopped || this.scheduled || !this.o.ready()) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.restTimer = undefined;
      if (this.stopped || !this.o.ready()) return;
      const contended = this.arrivals > 0;
      this.arrivals = 0;
      const started = this.o.elapsed();
      if (!this.o.slice()) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.schedule();
        }, 1_000);
        this.retryTimer.unref?.();
        return;
      }
      // Under contention, rest long enough for applying to keep to its share of the event loop.
      const spent = this.o.elapsed() - started;
      this.restUntil = contended ? this.o.elapsed() + (spent * (1 - this.o.applyShare)) / this.o.applyShare : 0;
      this.schedule();
    };
    const rest = this.restUntil - this.o.elapsed();
    if (rest >= 1) this.restTimer = setTimeout(run, Math.round(rest));
    else setImmediate(run);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.restTimer) clearTimeout(this.restTimer);
  }
}
