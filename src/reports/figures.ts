/**
 * Report figures, pure: functions of the rows queries.ts returns, so each is tested on a hand-computed history.
 *
 * - `percentile(xs, p)` is the nearest-rank percentile (the smallest value with at least p% of values at or
 *   below it); `median` is the usual one (the mean of the two middle values for an even count).
 * - MTTA: acknowledged − opened, over incidents opened in the period that were acknowledged.
 * - MTTR: resolved − opened, over incidents resolved in the period.
 * - A fix worked when its verification passed and no alert of its incident came back on that workload within
 *   the recurrence window; a fix whose window is still open is `pending`, not counted either way.
 * - An incident's verdict is the most common vote; a tie goes to the less favourable answer.
 */

import type { Verdict } from './model.js';
import type { IncidentTimes, NameCount, QuietIncident, RunRow, VoteRow } from './queries.js';

export function percentile(xs: readonly number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Spread {
  /** How many durations the figure is over. */
  n: number;
  median: number | undefined;
  p90: number | undefined;
}

function spread(xs: number[]): Spread {
  return { n: xs.length, median: median(xs), p90: percentile(xs, 90) };
}

/** Time to acknowledge, over incidents opened in the period. */
export function mtta(opened: readonly IncidentTimes[]): Spread {
  return spread(opened.flatMap((i) => (i.ackedAt === null ? [] : [Math.max(0, i.ackedAt - i.firstSeen)])));
}

/** Time to resolve, over incidents resolved in the period. */
export function mttr(resolved: readonly IncidentTimes[]): Spread {
  return spread(resolved.flatMap((i) => (i.resolvedAt === null ? [] : [Math.max(0, i.resolvedAt - i.firstSeen)])));
}

/** The `n` largest counts, ties by name (so a report is the same every time it is built). */
export function noisiest(rows: readonly NameCount[], n: number): NameCount[] {
  return [...rows].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, n);
}

/** Labels that say who owns an alert's rule, in the order they are shown. */
export const OWNER_LABELS = ['team', 'owner', 'squad', 'service', 'component'] as const;

export interface NeverActioned {
  alertname: string;
  /** Incidents it led that closed on their own without anyone acting. */
  incidents: number;
  /** Median of how long those incidents lasted. */
  medianMs: number;
  owners: Record<string, string>;
  generatorUrl: string | null;
}

/** Alerts that never led to any action, grouped by name, most frequent first. */
export function neverActioned(rows: readonly QuietIncident[], n: number): NeverActioned[] {
  const byName = new Map<string, QuietIncident[]>();
  for (const r of rows) byName.set(r.alertname, [...(byName.get(r.alertname) ?? []), r]);
  const out = [...byName.entries()].map(([alertname, list]): NeverActioned => {
    const owners: Record<string, string> = {};
    for (const k of OWNER_LABELS) {
      const v = list.find((r) => r.labels[k] !== undefined)?.labels[k];
      if (v !== undefined) owners[k] = v;
    }
    return {
      alertname,
      incidents: list.length,
      medianMs: median(list.map((r) => r.lastedMs)) ?? 0,
      owners,
      generatorUrl: list.find((r) => r.generatorUrl)?.generatorUrl ?? null,
    };
  });
  return out.sort((a, b) => b.incidents - a.incidents || a.alertname.localeCompare(b.alertname)).slice(0, n);
}

export type RunOutcome = 'succeeded' | 'failed' | 'rolled_back' | 'in_progress';

/** How a run ended: rolled back beats failed beats verified; nothing yet means still in progress. */
export function runOutcome(row: Pick<RunRow, 'outcomes'>): RunOutcome {
  if (row.outcomes.includes('rolled_back')) return 'rolled_back';
  if (row.outcomes.includes('verification_failed') || row.outcomes.includes('failed')) return 'failed';
  if (row.outcomes.includes('verified')) return 'succeeded';
  return 'in_progress';
}

export interface RunFigures {
  started: number;
  succeeded: number;
  failed: number;
  rolledBack: number;
  inProgress: number;
  /** succeeded / finished runs, 0–1; undefined when none finished. */
  successRate: number | undefined;
}

export function runFigures(rows: readonly RunRow[]): RunFigures {
  const count = (o: RunOutcome) => rows.filter((r) => runOutcome(r) === o).length;
  const succeeded = count('succeeded');
  const failed = count('failed');
  const rolledBack = count('rolled_back');
  const finished = succeeded + failed + rolledBack;
  return {
    started: rows.length,
    succeeded,
    failed,
    rolledBack,
    inProgress: count('in_progress'),
    successRate: finished === 0 ? undefined : succeeded / finished,
  };
}

export interface FixFigures {
  /** Verified fixes whose recurrence window has passed. */
  judged: number;
  worked: number;
  /** The same alert came back on that workload within the window. */
  recurred: number;
  /** Verified, window still open. */
  pending: number;
}

/** Fix outcomes from each verified fix's recurrence answer (`undefined`: window still open). */
export function fixFigures(recurrence: readonly (boolean | undefined)[]): FixFigures {
  const recurred = recurrence.filter((r) => r === true).length;
  const worked = recurrence.filter((r) => r === false).length;
  return { judged: recurred + worked, worked, recurred, pending: recurrence.length - recurred - worked };
}

const SEVERITY: Record<Verdict, number> = { right: 0, partly: 1, wrong: 2 };

/** The verdict of one incident's votes (`undefined` without votes). */
export function incidentVerdict(votes: readonly Verdict[]): Verdict | undefined {
  if (votes.length === 0) return undefined;
  const tally = new Map<Verdict, number>();
  for (const v of votes) tally.set(v, (tally.get(v) ?? 0) + 1);
  return [...tally.entries()].sort((a, b) => b[1] - a[1] || SEVERITY[b[0]] - SEVERITY[a[0]])[0]?.[0];
}

export interface AccuracyFigures {
  /** Incidents with at least one vote. */
  graded: number;
  right: number;
  partly: number;
  wrong: number;
  votes: number;
  /** right / graded, 0–1; undefined when nothing was graded. */
  accuracy: number | undefined;
}

export function accuracy(votes: readonly VoteRow[]): AccuracyFigures {
  const byIncident = new Map<number, Verdict[]>();
  for (const v of votes) byIncident.set(v.incidentId, [...(byIncident.get(v.incidentId) ?? []), v.verdict]);
  const verdicts = [...byIncident.values()].map((vs) => incidentVerdict(vs));
  const right = verdicts.filter((v) => v === 'right').length;
  const partly = verdicts.filter((v) => v === 'partly').length;
  const wrong = verdicts.filter((v) => v === 'wrong').length;
  const graded = byIncident.size;
  return { graded, right, partly, wrong, votes: votes.length, accuracy: graded === 0 ? undefined : right / graded };
}

/** The change from `before` to `now` as a signed percentage (undefined when there was nothing before). */
export function change(now: number, before: number): number | undefined {
  if (before === 0) return undefined;
  return Math.round(((now - before) / before) * 100);
}
