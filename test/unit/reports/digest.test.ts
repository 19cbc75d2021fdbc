/** Every digest figure against the hand-built history of history.ts, worked out by hand below. */
import { describe, expect, it } from 'vitest';
import { digestFigures } from '../../../src/reports/digest.js';
import * as history from './history.js';
import { D, H, MIN, reportWorld, seedHistory } from './history.js';

describe('daily digest figures over the fixture history', () => {
  const w = seedHistory(reportWorld());
  // Built at 09:00 the next day: the period is 2026-11-25 00:00 – 2026-11-26 00:00 UTC.
  const f = digestFigures('daily', D + 33 * H, w.deps);

  it('covers the last complete day and the one before it', () => {
    expect([f.period.from, f.period.to]).toEqual([D, D + 24 * H]);
    expect(f.period.previous).toEqual({ from: D - 24 * H, to: D });
  });

  it('counts alerts by priority: 9 episodes (P0 1, P1 2, P2 2, P3 4); 2 the day before', () => {
    expect(f.alertsByPriority).toEqual({ P0: 1, P1: 2, P2: 2, P3: 4 });
    expect(f.headline.alerts).toBe(9);
    expect(f.previous.alerts).toBe(2);
  });

  it('counts incidents opened (A–F), resolved (A, B, C, D, F, H) and still open at the end (E)', () => {
    expect(f.headline.opened).toBe(6);
    expect(f.headline.resolved).toBe(6);
    expect(f.stillOpen).toBe(1);
    expect([f.previous.opened, f.previous.resolved]).toEqual([2, 1]);
  });

  it('computes MTTA over acked incidents opened in the period: 2, 4, 10 min → median 4, p90 10', () => {
    expect(f.headline.mtta).toEqual({ n: 3, median: 4 * MIN, p90: 10 * MIN });
    // The day before: G 30 min, H 60 min.
    expect(f.previous.mtta).toEqual({ n: 2, median: 45 * MIN, p90: 60 * MIN });
  });

  it('computes MTTR over incidents resolved in the period: 6, 10, 20, 60, 120, 240 min → median 40, p90 240', () => {
    expect(f.headline.mttr).toEqual({ n: 6, median: 40 * MIN, p90: 240 * MIN });
    expect(f.previous.mttr).toEqual({ n: 1, median: 60 * MIN, p90: 60 * MIN });
  });

  it('ranks the noisiest alerts and workloads (ties by name; a workload-less incident left out)', () => {
    expect(f.noisiestAlerts).toEqual([
      { name: 'CPUThrottlingHigh', count: 4 },
      { name: 'HighLatency', count: 2 },
      { name: 'KubePodCrashLooping', count: 2 },
      { name: 'KubeNodeNotReady', count: 1 },
    ]);
    expect(f.noisiestWorkloads).toEqual([
      { name: 'default', count: 4 },
      { name: 'c1/shop/cart', count: 2 },
      { name: 'c1/shop/checkout', count: 2 },
    ]);
  });

  it('finds alerts that never led to any action: CPUThrottlingHigh closed twice on its own (6 and 10 min)', () => {
    expect(f.neverActioned).toEqual([
      {
        alertname: 'CPUThrottlingHigh',
        incidents: 2,
        medianMs: 8 * MIN,
        owners: { team: 'platform' },
        generatorUrl: 'http://prometheus.local/graph?g0.expr=CPUThrottlingHigh',
      },
    ]);
  });

  it('counts runbook runs by outcome and their success rate: 2 verified of 3 finished', () => {
    expect(f.runs).toEqual({
      started: 3,
      succeeded: 2,
      failed: 0,
      rolledBack: 1,
      inProgress: 0,
      successRate: 2 / 3,
    });
    expect(f.verifications).toEqual({ passed: 2, failed: 1, rolledBack: 1 });
  });

  it('judges fixes by recurrence: run-1 held, run-2’s alert came back on the cart workload', () => {
    expect(f.fixes).toEqual({ judged: 2, worked: 1, recurred: 1, pending: 0 });
    expect(f.recurrenceWindow).toBe(24 * H);
  });

  it('grades the diagnosis from votes on incidents resolved in the period (a tie counts against)', () => {
    expect(f.accuracy).toEqual({ graded: 3, right: 2, partly: 0, wrong: 1, votes: 6, accuracy: 2 / 3 });
  });

  it('counts silences in force at the end of the period (not the expired or the removed one)', () => {
    expect(f.silencesActive).toBe(1);
  });

  it('charts alerts per day by priority over seven days, and the MTTR trend', () => {
    expect(f.alertsPerDay).toHaveLength(7 * 4);
    const day = (at: number) =>
      Object.fromEntries(f.alertsPerDay.filter((v) => v.day === at).map((v) => [v.priority, v.count]));
    expect(day(D)).toEqual({ P0: 1, P1: 2, P2: 2, P3: 4 });
    expect(day(D - 24 * H)).toEqual({ P0: 0, P1: 1, P2: 1, P3: 0 });
    expect(day(D - 6 * 24 * H)).toEqual({ P0: 0, P1: 0, P2: 0, P3: 0 });
    expect(f.mttrTrend.at(-1)).toEqual({ from: D, medianMs: 40 * MIN, n: 6 });
    expect(f.mttrTrend.at(-2)).toEqual({ from: D - 24 * H, medianMs: 60 * MIN, n: 1 });
    expect(f.mttrTrend.at(0)).toEqual({ from: D - 6 * 24 * H, medianMs: undefined, n: 0 });
  });
});

describe('weekly digest figures', () => {
  it('covers Monday to Monday and sums the week (the fixture day is a Wednesday)', () => {
    const w = seedHistory(reportWorld());
    const monday = Date.parse('2026-11-23T00:00:00Z');
    const f = digestFigures('weekly', Date.parse('2026-11-30T10:00:00Z'), w.deps);
    expect([f.period.from, f.period.to]).toEqual([monday, monday + 7 * 24 * H]);
    expect(f.headline.alerts).toBe(11);
    expect(f.headline.opened).toBe(8);
    expect(f.headline.resolved).toBe(7);
    // Resolved in the week: A 20, B 60, C 6, D 10, F 120, G 60, H 240 min.
    expect(f.headline.mttr).toEqual({ n: 7, median: 60 * MIN, p90: 240 * MIN });
    expect(f.accuracy).toEqual({ graded: 4, right: 3, partly: 0, wrong: 1, votes: 7, accuracy: 3 / 4 });
    expect(f.period.trend).toHaveLength(8);
    expect(f.mttrTrend.at(-1)).toEqual({ from: monday, medianMs: 60 * MIN, n: 7 });
    expect(f.period.days.map((d) => d.from)).toEqual(Array.from({ length: 7 }, (_, i) => monday + i * 24 * H));
  });
});

describe('recurrence window', () => {
  it('keeps a fix pending while its window is open, and counts a return inside it as recurred', () => {
    const w = seedHistory(reportWorld({}, D + 24 * H));
    // At midnight, run-1 (verified 01:15) has had under 24 h: pending; run-2's alert already came back.
    const f = digestFigures('daily', D + 24 * H, w.deps);
    expect(f.fixes).toEqual({ judged: 1, worked: 0, recurred: 1, pending: 1 });
  });

  it('honours reports.recurrence_window: with 6h, run-2’s alert returned after the window and the fix held', () => {
    const w = seedHistory(reportWorld());
    const short = {
      ...w.deps,
      config: {
        ...w.config,
        file: { ...w.config.file, reports: { ...w.config.file.reports, recurrence_window: 6 * H } },
      },
    };
    const f = digestFigures('daily', D + 33 * H, short);
    expect(f.fixes).toEqual({ judged: 2, worked: 2, recurred: 0, pending: 0 });
  });

  it('matches a return by fingerprint when the incident has no workload', () => {
    const w = reportWorld();
    const { alert, openIncident, runbook } = history;
    const a = openIncident(w, { title: 'Disk', priority: 'P2', at: D + H });
    alert(w, a, { name: 'Disk', fingerprint: 'fx', priority: 'P2', at: D + H });
    runbook(w, a, 'run-x', D + H + MIN, { verifiedAt: D + H + 2 * MIN });
    const b = openIncident(w, { title: 'Disk', priority: 'P2', at: D + 5 * H });
    alert(w, b, { name: 'Disk', fingerprint: 'fx', priority: 'P2', at: D + 5 * H });
    // A different alert on no workload does not count.
    const c = openIncident(w, { title: 'Disk', priority: 'P2', at: D + 6 * H });
    alert(w, c, { name: 'Disk', fingerprint: 'fy', priority: 'P2', at: D + 6 * H });
    expect(digestFigures('daily', D + 33 * H, w.deps).fixes).toEqual({ judged: 1, worked: 0, recurred: 1, pending: 0 });
  });
});
