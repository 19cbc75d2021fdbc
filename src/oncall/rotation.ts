/**
 * Rotation math, pure: who of a rotation is on call at an instant, until when, and who is next. A rotation
 * hands over every day or every seven days at a wall-clock time in its zone, counting from `start` (the date
 * members[0] takes the first shift; for weekly rotations its weekday is the handover day). Handovers keep
 * their wall-clock time across DST changes, so such a shift lasts 23 or 25 hours. Overrides replace the
 * rotation for their interval; a later override wins over an earlier one where they overlap.
 */
import { dateOfDay, dayNumber, instantOf } from './zoned-time.js';

export interface RotationSpec {
  name: string;
  members: readonly string[];
  every: 'daily' | 'weekly';
  /** Minutes after local midnight, e.g. 9:00 → 540. */
  handoverMinute: number;
  zone: string;
  /** Day number (days since 1970-01-01) of the first shift's date. */
  startDay: number;
}

export interface Override {
  who: string;
  from: number;
  to: number;
  /** Who set it (an open_id, or `config`). */
  by: string;
}

export interface Shift {
  index: number;
  who: string;
  from: number;
  to: number;
}

export interface OnCall {
  who: string;
  /** When this person's turn (rotation shift or override) ends. */
  until: number;
  /** When it began (the shift's handover or the override's start). */
  since: number;
  override?: Override;
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

function periodDays(spec: RotationSpec): number {
  return spec.every === 'daily' ? 1 : 7;
}

/** When shift `k` begins: its date's handover time on the zone's wall clock. */
export function shiftStart(spec: RotationSpec, k: number): number {
  const date = dateOfDay(spec.startDay + k * periodDays(spec));
  const hour = Math.floor(spec.handoverMinute / 60);
  return instantOf({ ...date, hour, minute: spec.handoverMinute % 60 }, spec.zone);
}

/** The rotation's shift at instant `t` (before `start`, the count runs backwards: the rotation is periodic). */
export function shiftAt(spec: RotationSpec, t: number): Shift {
  if (spec.members.length === 0) throw new Error(`rotation ${spec.name} has no members`);
  const period = periodDays(spec);
  // A first guess from elapsed time (off by at most one near DST changes), then exact by the boundaries.
  let k = Math.floor((t - shiftStart(spec, 0)) / (period * 86_400_000));
  while (t < shiftStart(spec, k)) k--;
  while (t >= shiftStart(spec, k + 1)) k++;
  return {
    index: k,
    who: spec.members[mod(k, spec.members.length)] as string,
    from: shiftStart(spec, k),
    to: shiftStart(spec, k + 1),
  };
}

/** Who is on call at `t`, honouring overrides (given in precedence order: later entries win). */
export function onCallAt(spec: RotationSpec, overrides: readonly Override[], t: number): OnCall {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i] as Override;
    if (o.from <= t && t < o.to) {
      // A later override starting inside this one cuts it short.
      const cut = overrides.slice(i + 1).filter((p) => p.from > t && p.from < o.to);
      return { who: o.who, since: o.from, until: Math.min(o.to, ...cut.map((p) => p.from)), override: o };
    }
  }
  const shift = shiftAt(spec, t);
  const cut = overrides.filter((o) => o.from > t && o.from < shift.to);
  const since = Math.max(shift.from, ...overrides.filter((o) => o.to <= t && o.to > shift.from).map((o) => o.to));
  return { who: shift.who, since, until: Math.min(shift.to, ...cut.map((o) => o.from)) };
}

/** The next person to take over after whoever is on call at `t` (skipping turns that keep the same person). */
export function nextOnCall(
  spec: RotationSpec,
  overrides: readonly Override[],
  t: number,
): { who: string; from: number } | undefined {
  const now = onCallAt(spec, overrides, t);
  let at = now.until;
  for (let i = 0; i < 64; i++) {
    const then = onCallAt(spec, overrides, at);
    if (then.who !== now.who) return { who: then.who, from: at };
    at = then.until;
  }
  return undefined;
}

/** Parses `HH:MM` into minutes after midnight. */
export function parseHandover(s: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Parses `YYYY-MM-DD` into a day number. */
export function parseStartDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s.trim());
  if (!m) return undefined;
  const n = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  const back = dateOfDay(n);
  return back.month === Number(m[2]) && back.day === Number(m[3]) ? n : undefined;
}
