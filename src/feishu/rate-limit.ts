/**
 * Send budgets: at most `limit` requests in any `windowMs` (a sliding window, so bursts at a window edge
 * cannot double the rate), plus a pause set from Feishu's own rate-limit answers.
 */
export class RateLimiter {
  private readonly sent: number[] = [];
  private pausedUntil = 0;

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
  ) {}

  /** Takes one slot if available now. */
  tryTake(now: number): boolean {
    if (now < this.pausedUntil) return false;
    this.prune(now);
    if (this.sent.length >= this.limit) return false;
    this.sent.push(now);
    return true;
  }

  /** When the next slot frees up (now if one is free). */
  nextAt(now: number): number {
    this.prune(now);
    const slot = this.sent.length < this.limit ? now : (this.sent[0] as number) + this.windowMs;
    return Math.max(slot, this.pausedUntil);
  }

  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Nothing sent recently and no pause: safe to forget. */
  isIdle(now: number): boolean {
    this.prune(now);
    return this.sent.length === 0 && now >= this.pausedUntil;
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0] as number) <= now - this.windowMs) this.sent.shift();
  }
}
