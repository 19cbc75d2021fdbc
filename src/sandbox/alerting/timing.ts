/**
 * How fast the sandbox's alerting runs. Upstream kube-prometheus waits 15 minutes before most alerts fire and
 * looks back 5–10 minutes; a sandbox shows the same rules in seconds. `for:` durations and range selectors are
 * divided (with floors so a range always spans several scrapes), and the Alertmanager timers are short.
 */
export interface AlertTiming {
  /** Scrape and rule evaluation period. */
  evalMs: number;
  /** `for: 15m` becomes 15m / forDivisor. */
  forDivisor: number;
  /** `[10m]` becomes 10m / rangeDivisor, never under minRangeMs. */
  rangeDivisor: number;
  minRangeMs: number;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** The interactive sandbox: KubePodCrashLooping fires 15 s after the first CrashLoopBackOff. */
export const LIVE_TIMING: AlertTiming = {
  evalMs: 2_000,
  forDivisor: 60,
  rangeDivisor: 30,
  minRangeMs: 10_000,
  groupWaitMs: 2_000,
  groupIntervalMs: 10_000,
  repeatIntervalMs: 120_000,
};

/** Tests: the same rules in a few seconds. */
export const FAST_TIMING: AlertTiming = {
  evalMs: 1_000,
  forDivisor: 180,
  rangeDivisor: 60,
  minRangeMs: 5_000,
  groupWaitMs: 1_000,
  groupIntervalMs: 3_000,
  repeatIntervalMs: 30_000,
};

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A Prometheus duration ("1h30m", "15m", "500ms") in milliseconds; undefined when it is not one. */
export function parsePromDuration(text: string): number | undefined {
  const parts = text.match(/\d+(ms|s|m|h|d|w)/g);
  if (!parts || parts.join('') !== text) return undefined;
  return parts.reduce((sum, p) => {
    const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(p);
    return sum + Number(m?.[1]) * (UNITS[m?.[2] ?? 's'] ?? 0);
  }, 0);
}

/** Milliseconds as a Prometheus duration, in whole seconds (at least 1s). */
export function formatPromDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** The shortened `for:` of a rule (0 for rules that fire at once). */
export function shortFor(upstream: string | null, timing: AlertTiming): number {
  const ms = upstream ? (parsePromDuration(upstream) ?? 0) : 0;
  return ms === 0 ? 0 : Math.max(1_000, Math.round(ms / timing.forDivisor / 1000) * 1000);
}

/** A range selector's window, shortened. */
export function shortRange(ms: number, timing: AlertTiming): number {
  return Math.max(timing.minRangeMs, Math.round(ms / timing.rangeDivisor / 1000) * 1000);
}

/** An expression with every range selector (`[5m]`) shortened; `predict_linear`'s horizon is left as written. */
export function shortenRanges(expr: string, timing: AlertTiming): string {
  return expr.replace(/\[(\d+(?:ms|s|m|h|d|w)+)\]/g, (whole, d: string) => {
    const ms = parsePromDuration(d);
    return ms === undefined ? whole : `[${formatPromDuration(shortRange(ms, timing))}]`;
  });
}
