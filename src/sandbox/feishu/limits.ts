import type { FaultKind, FaultSpec } from './types.js';

/** Per-key sliding windows: how many hits fell in the last `windowMs`. */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until one more hit is allowed (0 = allowed now). */
  waitMs(key: string, now: number): number {
    const list = this.prune(key, now);
    if (list.length < this.limit) return 0;
    return (list[list.length - this.limit] ?? now) + this.windowMs - now;
  }

  hit(key: string, now: number): void {
    const list = this.prune(key, now);
    list.push(now);
    this.hits.set(key, list);
  }

  private prune(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.hits.set(key, list);
    return list;
  }
}

/** Feishu's limits for the message APIs (feishu-platform.md §7). */
export const LIMITS = {
  perChatPerSecond: 5,
  perMessagePatchPerSecond: 5,
  appPerSecond: 50,
  appPerMinute: 1000,
} as const;

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  until: number;
}

/** Injected failures for fault tests: each matching Open API request consumes one. */
export class Faults {
  private active: ActiveFault[] = [];

  constructor(private readonly now: () => number) {}

  inject(spec: FaultSpec): void {
    const remaining = spec.count ?? (spec.durationMs !== undefined ? Number.POSITIVE_INFINITY : 1);
    const until = spec.durationMs !== undefined ? this.now() + spec.durationMs : Number.POSITIVE_INFINITY;
    this.active.push({ spec, remaining, until });
  }

  clear(): void {
    this.active = [];
  }

  /** The fault that applies to this request, if any (and uses it up). */
  take(path: string): FaultKind | undefined {
    const now = this.now();
    this.active = this.active.filter((f) => f.remaining > 0 && f.until > now);
    const fault = this.active.find((f) => (f.spec.path ?? /^\/open-apis\//).test(path));
    if (!fault) return undefined;
    fault.remaining--;
    return fault.spec.kind;
  }
}
