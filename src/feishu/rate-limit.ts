/**
 * Send budgets: at most `limit` requests in any `windowMs` (a sliding window, so bursts at a window edge
 * cannot double the rate), plus a pause set from Feishu's own rate-limit answers. Feishu counts a request when
 * it arrives, which is some time after we send it: a slot counts from the moment it is taken until `windowMs`
 * after its request finished, so network delay can never squeeze a sixth request into Feishu's window.
 */
export interface Slot {
  /** The request finished (answered or failed) at `now`. */
  done(now: number): void;
}

interface Entry {
  at: number;
  inFlight: boolean;
}

export class RateLimiter {
  private entries: Entry[] = [];
  private pausedUntil = 0;

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
  ) {}

  /** Takes one slot if available now. */
  take(now: number): Slot | undefined {
    if (this.nextAt(now) > now) return undefined;
    const entry: Entry = { at: now, inFlight: true };
    this.entries.push(entry);
    return {
      done: (at) => {
        entry.at = Math.max(entry.at, at);
        entry.inFlight = false;
      },
    };
  }

  /** When the next slot frees up (now if one is free; an estimate while requests are in flight). */
  nextAt(now: number): number {
    this.prune(now);
    let slot = now;
    if (this.entries.length >= this.limit) {
      const ends = this.entries.map((e) => (e.inFlight ? Math.max(now, e.at) + 10 : e.at + this.windowMs));
      ends.sort((a, b) => a - b);
      slot = ends[this.entries.length - this.limit] as number;
    }
    return Math.max(slot, this.pausedUntil);
  }

  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Nothing sent recently and no pause: safe to forget. */
  isIdle(now: number): boolean {
    this.prune(now);
    return this.entries.length === 0 && now >= this.pausedUntil;
  }

  private prune(now: number): void {
    if (this.entries.some((e) => !e.inFlight && e.at <= now - this.windowMs)) {
      this.entries = this.entries.filter((e) => e.inFlight || e.at > now - this.windowMs);
    }
  }
}
