/**
 * Wall-clock time in a time zone (TZ), without a library: the local calendar parts of an instant, and the
 * instant of a local wall-clock time. Reports cut their periods at local midnight and the scheduler fires cron
 * strings in local time, so both need it.
 */

export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** The local calendar and clock of `ms` in `timezone`. */
export function localParts(ms: number, timezone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  const year = out.year ?? 1970;
  const month = out.month ?? 1;
  const day = out.day ?? 1;
  return {
    year,
    month,
    day,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** How far local time is ahead of UTC at `ms`, in ms. */
function offsetAt(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time names in `timezone`; `undefined` when that time does not exist there (it
 * falls in a daylight-saving gap). Day and month overflow roll over as `Date.UTC` does (day 32 → next month).
 */
export function zonedTime(
  timezone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number | undefined {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let ms = wall - offsetAt(wall, timezone);
  const again = wall - offsetAt(ms, timezone);
  if (again !== ms) ms = again;
  const p = localParts(ms, timezone);
  const want = new Date(wall);
  const same =
    p.year === want.getUTCFullYear() &&
    p.month === want.getUTCMonth() + 1 &&
    p.day === want.getUTCDate() &&
    p.hour === want.getUTCHours() &&
    p.minute === want.getUTCMinutes();
  return same ? ms : undefined;
}

/** Local midnight starting the day `ms` falls on, shifted by `days` whole days. */
export function startOfDay(ms: number, timezone: string, days = 0): number {
  const p = localParts(ms, timezone);
  // Midnight exists in every zone but a few historical ones; fall back to 01:00 there.
  return (
    zonedTime(timezone, p.year, p.month, p.day + days) ??
    (zonedTime(timezone, p.year, p.month, p.day + days, 1) as number)
  );
}

/** Local midnight starting the ISO week (Monday) `ms` falls in, shifted by `weeks` whole weeks. */
export function startOfWeek(ms: number, timezone: string, weeks = 0): number {
  const p = localParts(ms, timezone);
  const sinceMonday = (p.weekday + 6) % 7;
  return startOfDay(ms, timezone, -sinceMonday + 7 * weeks);
}

/** `2026-11-25` in `timezone`. */
export function localDate(ms: number, timezone: string): string {
  const p = localParts(ms, timezone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
