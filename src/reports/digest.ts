/**
 * The figures of a daily or weekly digest, from the read models: what the cards render and the CLI prints.
 * Building them is a handful of indexed queries (each named in queries.ts) plus the pure figures.
 */

import { PRIORITIES, type Priority } from '../alerts/model.js';
import type { ReportDeps } from './deps.js';
import {
  type AccuracyFigures,
  accuracy,
  type FixFigures,
  fixFigures,
  median,
  mtta,
  mttr,
  type NeverActioned,
  neverActioned,
  noisiest,
  type RunFigures,
  runFigures,
  type Spread,
} from './figures.js';
import type { DigestKind } from './model.js';
import { digestPeriod, type Period } from './period.js';
import type { IncidentTimes, NameCount, ReportQueries } from './queries.js';

/** An incident that closed on its own within this long, untouched, marks its alert as a tuning candidate. */
export const QUIET_WITHIN_MS = 15 * 60_000;
const TOP = 5;

export interface HeadlineFigures {
  alerts: number;
  opened: number;
  resolved: number;
  mtta: Spread;
  mttr: Spread;
}

export interface DigestFigures {
  kind: DigestKind;
  period: Period;
  /** When the figures were read (recurrence is judged up to here). */
  asOf: number;
  alertsByPriority: Record<string, number>;
  headline: HeadlineFigures;
  previous: HeadlineFigures;
  stillOpen: number;
  noisiestAlerts: NameCount[];
  noisiestWorkloads: NameCount[];
  neverActioned: NeverActioned[];
  runs: RunFigures;
  verifications: { passed: number; failed: number; rolledBack: number };
  fixes: FixFigures;
  /** How long a fixed alert must stay away to count as fixed (reports.recurrence_window). */
  recurrenceWindow: number;
  accuracy: AccuracyFigures;
  silencesActive: number;
  /** Alerts per day and priority across `period.days`. */
  alertsPerDay: { day: number; priority: string; count: number }[];
  /** Median MTTR per bucket of `period.trend` (undefined where nothing resolved). */
  mttrTrend: { from: number; medianMs: number | undefined; n: number }[];
}

/** `resolvedAlready`: incidents resolved over a range that contains `r` (the trend's), filtered instead of re-read. */
function headline(
  q: ReportQueries,
  r: { from: number; to: number },
  alerts: number,
  resolvedAlready?: readonly IncidentTimes[],
): HeadlineFigures {
  const opened = q.incidentsOpened(r);
  const resolved = resolvedAlready
    ? resolvedAlready.filter((i) => i.resolvedAt !== null && i.resolvedAt >= r.from && i.resolvedAt < r.to)
    : q.incidentsResolved(r);
  return { alerts, opened: opened.length, resolved: resolved.length, mtta: mtta(opened), mttr: mttr(resolved) };
}

function sumPriorities(rows: readonly (Record<Priority, number> | undefined)[]): Record<Priority, number> {
  const out: Record<Priority, number> = { P0: 0, P1: 0, P2: 0, P3: 0 };
  for (const r of rows) for (const p of PRIORITIES) out[p] += r?.[p] ?? 0;
  return out;
}

const total = (r: Record<Priority, number>) => PRIORITIES.reduce((n, p) => n + r[p], 0);

/** The figures of the `kind` digest as of `at` (the period is the last complete day or week before it). */
export function digestFigures(kind: DigestKind, at: number, deps: ReportDeps): DigestFigures {
  const { queries: q, config } = deps;
  const period = digestPeriod(kind, at, config.timezone);
  const asOf = Math.max(deps.clock.now(), period.to);
  const window = config.file.reports.recurrence_window;

  const recurrence = q.verifiedFixes(period).map((fix) => {
    if (fix.verifiedAt + window > asOf) return q.recurred(fix, fix.verifiedAt, asOf) ? true : undefined;
    return q.recurred(fix, fix.verifiedAt, fix.verifiedAt + window);
  });
  const counts = q.timelineCounts(period, ['verified', 'verification_failed', 'rolled_back']);

  const trendRange = { from: period.trend[0]?.from ?? period.from, to: period.to };
  const trendResolved = q.incidentsResolved(trendRange);
  const mttrTrend = period.trend.map((b) => {
    const xs = trendResolved.flatMap((i) =>
      i.resolvedAt !== null && i.resolvedAt >= b.from && i.resolvedAt < b.to ? [i.resolvedAt - i.firstSeen] : [],
    );
    return { from: b.from, medianMs: median(xs), n: xs.length };
  });
  // The alerts chart's days; the period (a daily's last day, a weekly's seven) is summed from them.
  const perDay = period.days.map((d) => q.alertsByPriority(d));
  const alertsPerDay = period.days.flatMap((d, i) =>
    Object.entries(perDay[i] ?? {}).map(([priority, count]) => ({ day: d.from, priority, count })),
  );
  const priorities = sumPriorities(
    period.days.flatMap((d, i) => (d.from >= period.from && d.to <= period.to ? [perDay[i]] : [])),
  );
  const previousAlerts = total(
    period.kind === 'daily'
      ? (perDay[perDay.length - 2] ?? q.alertsByPriority(period.previous))
      : q.alertsByPriority(period.previous),
  );
  const byAlert = q.alertsByIncident(period);
  const byName = new Map<string, number>();
  const byWorkload = new Map<string, number>();
  for (const row of byAlert) {
    byName.set(row.alertname, (byName.get(row.alertname) ?? 0) + row.count);
    if (row.workload !== '') byWorkload.set(row.workload, (byWorkload.get(row.workload) ?? 0) + row.count);
  }
  const ranked = (m: Map<string, number>) => [...m.entries()].map(([name, count]) => ({ name, count }));

  return {
    kind,
    period,
    asOf,
    alertsByPriority: priorities,
    headline: headline(q, period, total(priorities), trendResolved),
    previous: headline(q, period.previous, previousAlerts),
    stillOpen: q.stillOpenAt(period.to),
    noisiestAlerts: noisiest(ranked(byName), TOP),
    noisiestWorkloads: noisiest(ranked(byWorkload), TOP),
    neverActioned: neverActioned(q.quietIncidents(period, QUIET_WITHIN_MS), TOP),
    runs: runFigures(q.runsStarted(period, asOf)),
    verifications: {
      passed: counts.verified ?? 0,
      failed: counts.verification_failed ?? 0,
      rolledBack: counts.rolled_back ?? 0,
    },
    fixes: fixFigures(recurrence),
    recurrenceWindow: window,
    accuracy: accuracy(q.votesOnResolved(period)),
    silencesActive: q.silencesActiveAt(Math.min(period.to, asOf)),
    alertsPerDay,
    mttrTrend,
  };
}
