/** Digest periods are cut at local midnight in TZ, and --at dates are read there too. */
import { describe, expect, it } from 'vitest';
import { parseAt } from '../../../src/reports/cli.js';
import { digestPeriod } from '../../../src/reports/period.js';
import { localParts, startOfWeek, zonedTime } from '../../../src/reports/zoned.js';

describe('digest periods in Asia/Shanghai', () => {
  const at = Date.parse('2026-11-26T01:00:00Z'); // Thursday 09:00 in Shanghai

  it('a daily digest covers the previous local day: 16:00 UTC to 16:00 UTC', () => {
    const p = digestPeriod('daily', at, 'Asia/Shanghai');
    expect([new Date(p.from).toISOString(), new Date(p.to).toISOString()]).toEqual([
      '2026-11-24T16:00:00.000Z',
      '2026-11-25T16:00:00.000Z',
    ]);
    expect(p.previous.to).toBe(p.from);
    expect(p.days.at(-1)).toEqual({ from: p.from, to: p.to });
    expect(p.days[0]?.from).toBe(p.from - 6 * 86_400_000);
  });

  it('a weekly digest covers the previous local Monday to Monday, and trends over eight weeks', () => {
    const p = digestPeriod('weekly', at, 'Asia/Shanghai');
    expect(new Date(p.from).toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(p.to - p.from).toBe(7 * 86_400_000);
    expect(p.trend).toHaveLength(8);
    expect(p.trend.at(-1)).toEqual({ from: p.from, to: p.to });
  });

  it('a day with a daylight-saving change is 23 or 25 hours long', () => {
    const p = digestPeriod('daily', Date.parse('2026-03-30T10:00:00Z'), 'Europe/Berlin');
    expect(p.to - p.from).toBe(23 * 3_600_000);
    expect(localParts(p.from, 'Europe/Berlin')).toMatchObject({ day: 29, hour: 0 });
  });
});

describe('zoned time', () => {
  it('finds the instant of a wall-clock time, and none inside a daylight-saving gap', () => {
    expect(zonedTime('Asia/Shanghai', 2026, 11, 25, 9)).toBe(Date.parse('2026-11-25T01:00:00Z'));
    expect(zonedTime('Europe/Berlin', 2026, 3, 29, 2, 30)).toBeUndefined();
    expect(startOfWeek(Date.parse('2026-11-29T23:00:00Z'), 'UTC')).toBe(Date.parse('2026-11-23T00:00:00Z'));
  });

  it('reads --at as a local date or an ISO time, and refuses anything else', () => {
    expect(parseAt('2026-11-26', 'Asia/Shanghai')).toBe(Date.parse('2026-11-25T16:00:00Z'));
    expect(parseAt('2026-11-26T03:00:00Z', 'Asia/Shanghai')).toBe(Date.parse('2026-11-26T03:00:00Z'));
    for (const bad of ['yesterday', '2026-13-01', '26-11-2026', '']) expect(parseAt(bad, 'UTC')).toBeUndefined();
  });
});
