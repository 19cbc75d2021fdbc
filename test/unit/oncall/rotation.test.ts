import { describe, expect, it } from 'vitest';
import {
  nextOnCall,
  type Override,
  onCallAt,
  parseHandover,
  parseStartDate,
  type RotationSpec,
  shiftAt,
} from '../../../src/oncall/rotation.js';
import { formatLocal, instantOf, offsetAt, parseLocalTime } from '../../../src/oncall/zoned-time.js';

const T = (iso: string) => Date.parse(iso);

function spec(over: Partial<RotationSpec> & { start: string; handover?: string }): RotationSpec {
  const { start, handover, ...rest } = over;
  return {
    name: 'sre',
    members: ['a', 'b', 'c'],
    every: 'daily',
    zone: 'Asia/Shanghai',
    handoverMinute: parseHandover(handover ?? '09:00') as number,
    startDay: parseStartDate(start) as number,
    ...rest,
  };
}

describe('zoned time', () => {
  it('offsets: Shanghai is +8 all year; New York changes with DST', () => {
    expect(offsetAt(T('2026-01-15T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(offsetAt(T('2026-07-15T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(offsetAt(T('2026-01-15T00:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(offsetAt(T('2026-07-15T00:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
  });

  it('a wall-clock time skipped by spring-forward moves forward; an ambiguous one takes its first occurrence', () => {
    // 2026-03-08 02:30 does not exist in New York (02:00 EST → 03:00 EDT).
    expect(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      T('2026-03-08T07:30:00Z'),
    );
    // 2026-11-01 01:30 happens twice (EDT, then EST): the first is 05:30Z.
    expect(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toBe(
      T('2026-11-01T05:30:00Z'),
    );
  });

  it('reads override times as people write them, in the zone, or with an explicit offset', () => {
    expect(parseLocalTime('2026-12-24T18:00', 'Asia/Shanghai')).toBe(T('2026-12-24T10:00:00Z'));
    expect(parseLocalTime('2026-12-24 18:00', 'Asia/Shanghai')).toBe(T('2026-12-24T10:00:00Z'));
    expect(parseLocalTime('2026-12-24', 'Asia/Shanghai')).toBe(T('2026-12-23T16:00:00Z'));
    expect(parseLocalTime('2026-12-24T18:00+01:00', 'Asia/Shanghai')).toBe(T('2026-12-24T17:00:00Z'));
    expect(parseLocalTime('2026-12-24T18:00Z', 'Asia/Shanghai')).toBe(T('2026-12-24T18:00:00Z'));
    for (const bad of ['2026-02-30', '2026-12-24T25:00', 'tomorrow', '24/12/2026', '']) {
      expect(parseLocalTime(bad, 'Asia/Shanghai'), bad).toBeUndefined();
    }
    expect(formatLocal(T('2026-12-24T10:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-24 18:00');
  });
});

describe('a daily rotation in a DST-free zone (Asia/Shanghai)', () => {
  const s = spec({ start: '2026-12-01' });

  it('hands over at 09:00 local: a minute before is still the previous person', () => {
    expect(shiftAt(s, T('2026-12-01T00:59:00Z')).who).toBe('c'); // 08:59 +08, the shift before the first
    expect(shiftAt(s, T('2026-12-01T01:00:00Z'))).toEqual({
      index: 0,
      who: 'a',
      from: T('2026-12-01T01:00:00Z'),
      to: T('2026-12-02T01:00:00Z'),
    });
    expect(shiftAt(s, T('2026-12-02T00:59:59Z')).who).toBe('a');
    expect(shiftAt(s, T('2026-12-02T01:00:00Z')).who).toBe('b');
    expect(shiftAt(s, T('2026-12-03T12:00:00Z')).who).toBe('c');
    expect(shiftAt(s, T('2026-12-04T12:00:00Z')).who).toBe('a');
  });

  it('is periodic before its start date and far after it', () => {
    expect(shiftAt(s, T('2026-11-29T03:00:00Z')).who).toBe('b');
    expect(shiftAt(s, T('2027-12-01T03:00:00Z')).index).toBe(365);
    expect(shiftAt(s, T('2027-12-01T03:00:00Z')).who).toBe(['a', 'b', 'c'][365 % 3]);
  });

  it('says who is next and from when', () => {
    expect(nextOnCall(s, [], T('2026-12-01T05:00:00Z'))).toEqual({ who: 'b', from: T('2026-12-02T01:00:00Z') });
  });
});

describe('a weekly rotation', () => {
  // 2026-11-30 is a Monday: handovers every Monday 10:00 in Shanghai.
  const s = spec({ start: '2026-11-30', every: 'weekly', handover: '10:00', members: ['a', 'b'] });

  it('keeps one person over the weekend and hands over on Monday at the handover time', () => {
    expect(shiftAt(s, T('2026-12-06T15:59:00Z')).who).toBe('a'); // Sunday 23:59
    expect(shiftAt(s, T('2026-12-07T01:59:00Z')).who).toBe('a'); // Monday 09:59
    expect(shiftAt(s, T('2026-12-07T02:00:00Z'))).toMatchObject({
      who: 'b',
      from: T('2026-12-07T02:00:00Z'),
      to: T('2026-12-14T02:00:00Z'),
    });
    expect(shiftAt(s, T('2026-12-14T02:00:00Z')).who).toBe('a');
  });

  it('a single member is on call every week', () => {
    const solo = { ...s, members: ['solo'] };
    expect(onCallAt(solo, [], T('2026-12-20T00:00:00Z')).who).toBe('solo');
    expect(nextOnCall(solo, [], T('2026-12-20T00:00:00Z'))).toBeUndefined();
  });
});

describe('a rotation in a DST zone (America/New_York)', () => {
  const s = spec({ start: '2026-10-01', zone: 'America/New_York', handover: '09:00' });

  it('keeps the wall-clock handover across the autumn change: that shift lasts 25 hours', () => {
    const shift = shiftAt(s, T('2026-10-31T20:00:00Z'));
    expect(shift.from).toBe(T('2026-10-31T13:00:00Z')); // 09:00 EDT
    expect(shift.to).toBe(T('2026-11-01T14:00:00Z')); // 09:00 EST
    expect(shift.to - shift.from).toBe(25 * 3_600_000);
    expect(shiftAt(s, T('2026-11-01T13:30:00Z')).index).toBe(shift.index); // 08:30 EST, still that shift
  });

  it('and across the spring change: 23 hours', () => {
    const shift = shiftAt(s, T('2026-03-07T20:00:00Z'));
    expect(shift.from).toBe(T('2026-03-07T14:00:00Z')); // 09:00 EST
    expect(shift.to).toBe(T('2026-03-08T13:00:00Z')); // 09:00 EDT
    expect(shiftAt(s, T('2026-03-08T13:00:00Z')).index).toBe(shift.index + 1);
  });

  it('a handover time that the spring change skips happens at the first time after the gap', () => {
    const early = spec({ start: '2026-03-01', zone: 'America/New_York', handover: '02:30' });
    const shift = shiftAt(early, T('2026-03-08T06:00:00Z')); // 01:00 EST on the day of the change
    expect(shift.to).toBe(T('2026-03-08T07:30:00Z')); // 03:30 EDT
    expect(shiftAt(early, T('2026-03-08T07:30:00Z')).from).toBe(T('2026-03-08T07:30:00Z'));
  });

  it('a weekly rotation in Europe/Berlin hands over on Monday 09:00 local in winter and summer', () => {
    const w = spec({ start: '2026-03-23', zone: 'Europe/Berlin', every: 'weekly', members: ['x', 'y'] });
    expect(shiftAt(w, T('2026-03-23T08:00:00Z')).from).toBe(T('2026-03-23T08:00:00Z')); // CET +1
    expect(shiftAt(w, T('2026-03-30T07:00:00Z'))).toMatchObject({ who: 'y', from: T('2026-03-30T07:00:00Z') }); // CEST +2
  });
});

describe('overrides', () => {
  const s = spec({ start: '2026-12-01' }); // a on 12-01 09:00 → 12-02 09:00 (+08)
  const o = (who: string, from: string, to: string): Override => ({ who, from: T(from), to: T(to), by: 'ou_admin' });

  it('replace the rotation for their interval and cut the shift around them', () => {
    const overrides = [o('z', '2026-12-01T04:00:00Z', '2026-12-01T10:00:00Z')];
    expect(onCallAt(s, overrides, T('2026-12-01T03:00:00Z'))).toEqual({
      who: 'a',
      since: T('2026-12-01T01:00:00Z'),
      until: T('2026-12-01T04:00:00Z'),
    });
    expect(nextOnCall(s, overrides, T('2026-12-01T03:00:00Z'))).toEqual({ who: 'z', from: T('2026-12-01T04:00:00Z') });
    expect(onCallAt(s, overrides, T('2026-12-01T05:00:00Z'))).toMatchObject({
      who: 'z',
      until: T('2026-12-01T10:00:00Z'),
      override: overrides[0],
    });
    expect(onCallAt(s, overrides, T('2026-12-01T10:00:00Z'))).toEqual({
      who: 'a',
      since: T('2026-12-01T10:00:00Z'),
      until: T('2026-12-02T01:00:00Z'),
    });
  });

  it('an override across a handover covers both shifts; the next person is the one after it', () => {
    const overrides = [o('z', '2026-12-01T20:00:00Z', '2026-12-02T05:00:00Z')];
    expect(onCallAt(s, overrides, T('2026-12-02T02:00:00Z')).who).toBe('z');
    expect(nextOnCall(s, overrides, T('2026-12-02T02:00:00Z'))).toEqual({ who: 'b', from: T('2026-12-02T05:00:00Z') });
  });

  it('a later override wins where two overlap, and cuts the earlier one short', () => {
    const overrides = [
      o('y', '2026-12-01T02:00:00Z', '2026-12-01T08:00:00Z'),
      o('z', '2026-12-01T05:00:00Z', '2026-12-01T06:00:00Z'),
    ];
    expect(onCallAt(s, overrides, T('2026-12-01T03:00:00Z'))).toMatchObject({
      who: 'y',
      until: T('2026-12-01T05:00:00Z'),
    });
    expect(onCallAt(s, overrides, T('2026-12-01T05:30:00Z')).who).toBe('z');
    expect(onCallAt(s, overrides, T('2026-12-01T06:30:00Z')).who).toBe('y');
  });

  it('next skips turns that keep the same person', () => {
    // b covers the end of a's shift … and b's own shift follows: the next change is to c.
    const overrides = [o('b', '2026-12-01T20:00:00Z', '2026-12-02T01:00:00Z')];
    expect(nextOnCall(s, overrides, T('2026-12-01T21:00:00Z'))).toEqual({ who: 'c', from: T('2026-12-03T01:00:00Z') });
  });

  it('an override that has ended changes nothing', () => {
    const overrides = [o('z', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')];
    expect(onCallAt(s, overrides, T('2026-12-01T03:00:00Z'))).toEqual(onCallAt(s, [], T('2026-12-01T03:00:00Z')));
  });
});

describe('parsing', () => {
  it('handover times and start dates', () => {
    expect(parseHandover('09:00')).toBe(540);
    expect(parseHandover('9:30')).toBe(570);
    expect(parseHandover('24:00')).toBeUndefined();
    expect(parseStartDate('2026-02-29')).toBeUndefined();
    expect(parseStartDate('2028-02-29')).toBeDefined();
  });
});
