/** The pure figures on small hand-computed inputs. */
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  change,
  fixFigures,
  incidentVerdict,
  median,
  mtta,
  mttr,
  neverActioned,
  noisiest,
  percentile,
  runFigures,
  runOutcome,
} from '../../../src/reports/figures.js';

describe('percentile and median', () => {
  it('nearest rank: p90 of 1..10 is 9, of 1..11 is 10; p50 of four values is the second', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile([...ten, 11], 90)).toBe(10);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2], 100)).toBe(2);
    expect(percentile([1, 2], 0)).toBe(1);
    expect(percentile([], 90)).toBeUndefined();
  });

  it('median: the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('MTTA and MTTR', () => {
  const rows = [
    { id: 1, priority: 'P1' as const, firstSeen: 0, ackedAt: 60_000, resolvedAt: 600_000 },
    { id: 2, priority: 'P2' as const, firstSeen: 0, ackedAt: null, resolvedAt: 120_000 },
    { id: 3, priority: 'P2' as const, firstSeen: 1000, ackedAt: 181_000, resolvedAt: null },
  ];
  it('MTTA leaves out unacknowledged incidents; MTTR unresolved ones', () => {
    expect(mtta(rows)).toEqual({ n: 2, median: 120_000, p90: 180_000 });
    expect(mttr(rows)).toEqual({ n: 2, median: 360_000, p90: 600_000 });
    expect(mtta([])).toEqual({ n: 0, median: undefined, p90: undefined });
  });
});

describe('noisiest and never actioned', () => {
  it('ranks by count, then name, and keeps the top n', () => {
    const rows = [
      { name: 'b', count: 2 },
      { name: 'a', count: 2 },
      { name: 'c', count: 5 },
      { name: 'd', count: 1 },
    ];
    expect(noisiest(rows, 3).map((r) => r.name)).toEqual(['c', 'a', 'b']);
  });

  it('groups quiet incidents by alert name with their owners and median duration', () => {
    const q = (alertname: string, lastedMs: number, labels: Record<string, string> = {}) => ({
      incidentId: 1,
      alertname,
      labels,
      generatorUrl: null,
      lastedMs,
    });
    const out = neverActioned([q('X', 60_000), q('X', 180_000, { team: 'db', owner: 'ana' }), q('Y', 5_000)], 5);
    expect(out).toEqual([
      { alertname: 'X', incidents: 2, medianMs: 120_000, owners: { team: 'db', owner: 'ana' }, generatorUrl: null },
      { alertname: 'Y', incidents: 1, medianMs: 5_000, owners: {}, generatorUrl: null },
    ]);
  });
});

describe('runs, fixes and votes', () => {
  it('a run’s outcome: rolled back beats failed beats verified; nothing means in progress', () => {
    expect(runOutcome({ outcomes: ['verified'] })).toBe('succeeded');
    expect(runOutcome({ outcomes: ['verification_failed', 'rolled_back'] })).toBe('rolled_back');
    expect(runOutcome({ outcomes: ['failed'] })).toBe('failed');
    expect(runOutcome({ outcomes: [] })).toBe('in_progress');
  });

  it('success rate is over finished runs only', () => {
    const r = (outcomes: string[]) => ({ incidentId: 1, runId: 'r', runbookId: 'x', startedAt: 0, outcomes });
    const f = runFigures([r(['verified']), r([]), r(['failed'])]);
    expect(f).toEqual({ started: 3, succeeded: 1, failed: 1, rolledBack: 0, inProgress: 1, successRate: 0.5 });
    expect(runFigures([r([])]).successRate).toBeUndefined();
  });

  it('a fix is judged only once its window has passed', () => {
    expect(fixFigures([false, true, undefined, false])).toEqual({ judged: 3, worked: 2, recurred: 1, pending: 1 });
  });

  it('an incident’s verdict is the majority; a tie goes to the less favourable answer', () => {
    expect(incidentVerdict(['right', 'right', 'wrong'])).toBe('right');
    expect(incidentVerdict(['right', 'partly'])).toBe('partly');
    expect(incidentVerdict(['right', 'wrong'])).toBe('wrong');
    expect(incidentVerdict([])).toBeUndefined();
  });

  it('accuracy is right over graded incidents', () => {
    const v = (incidentId: number, verdict: 'right' | 'partly' | 'wrong') => ({ incidentId, verdict });
    expect(accuracy([v(1, 'right'), v(2, 'partly'), v(2, 'partly'), v(3, 'wrong')])).toEqual({
      graded: 3,
      right: 1,
      partly: 1,
      wrong: 1,
      votes: 4,
      accuracy: 1 / 3,
    });
    expect(accuracy([]).accuracy).toBeUndefined();
  });
});

describe('change', () => {
  it('change is a rounded percentage, undefined from nothing', () => {
    expect(change(6, 2)).toBe(200);
    expect(change(40, 60)).toBe(-33);
    expect(change(3, 0)).toBeUndefined();
  });
});
