/**
 * The period a digest covers, cut at local midnight in TZ: a daily digest covers the last complete day before
 * `at`, a weekly one the last complete Monday-to-Sunday week. The previous period is the one before it, for the
 * change figures; the chart windows reach further back for trends.
 */
import type { DigestKind } from './model.js';
import type { Range } from './queries.js';
import { startOfDay, startOfWeek } from './zoned.js';

export interface Period extends Range {
  kind: DigestKind;
  previous: Range;
  /** Day buckets of the alerts chart (7 days ending with the period). */
  days: Range[];
  /** Buckets of the MTTR trend: 7 days (daily) or 8 weeks (weekly), ending with the period. */
  trend: Range[];
}

export function digestPeriod(kind: DigestKind, at: number, timezone: string): Period {
  const day = (n: number) => startOfDay(at, timezone, n);
  const week = (n: number) => startOfWeek(at, timezone, n);
  const days = Array.from({ length: 7 }, (_, i) => ({ from: day(i - 7), to: day(i - 6) }));
  if (kind === 'daily') {
    return { kind, from: day(-1), to: day(0), previous: { from: day(-2), to: day(-1) }, days, trend: days };
  }
  const from = week(-1);
  const to = week(0);
  const weekDays = Array.from({ length: 7 }, (_, i) => ({
    from: startOfDay(from, timezone, i),
    to: startOfDay(from, timezone, i + 1),
  }));
  const trend = Array.from({ length: 8 }, (_, i) => ({ from: week(i - 8), to: week(i - 7) }));
  return { kind, from, to, previous: { from: week(-2), to: from }, days: weekDays, trend };
}
