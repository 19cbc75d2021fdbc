/**
 * Wall-clock time in an IANA time zone, from `Intl` alone: the offset of a zone at an instant, the instant of a
 * local date and time (DST-aware: a time skipped by a spring-forward gap moves forward by the gap, an
 * ambiguous autumn time takes its first occurrence), and day numbers for calendar arithmetic.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall clock in `zone` at instant `t` (epoch ms). */
export function localAt(t: number, zone: string): LocalDateTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: (parts.hour as number) % 24,
    minute: parts.minute as number,
    second: parts.second as number,
  };
}

/** `zone`'s offset from UTC at instant `t`, in ms (Asia/Shanghai: +8 h). */
export function offsetAt(t: number, zone: string): number {
  const l = localAt(t, zone);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant at which the wall clock in `zone` shows `l`. */
export function instantOf(l: LocalDateTime, zone: string): number {
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  const offsets = [...new Set([offsetAt(wall - 86_400_000, zone), offsetAt(wall + 86_400_000, zone)])];
  const exact = offsets
    .map((o) => wall - o)
    .filter((t) => {
      const back = localAt(t, zone);
      return back.hour === l.hour && back.minute === l.minute && back.day === l.day;
    })
    .sort((a, b) => a - b);
  // In a spring-forward gap no instant shows that time: take the offset before the gap (moves it forward).
  return exact[0] ?? wall - (offsets[0] as number);
}

/** Days since 1970-01-01 of a calendar date (no zone: pure calendar arithmetic). */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

/** The calendar date of a day number. */
export function dateOfDay(n: number): { year: number; month: number; day: number } {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Reads a time as people write it for an override: `2026-12-24T18:00` or `2026-12-24 18:00` or `2026-12-24`
 * (midnight) on the wall clock of `zone`, or an ISO instant with an offset (`…Z`, `…+08:00`). Undefined when
 * it is none of these.
 */
export function parseLocalTime(s: string, zone: string): number | undefined {
  const text = s.trim();
  if (/(?:Z|[+-]\d\d:?\d\d)$/i.test(text) && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : t;
  }
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d))?$/.exec(text);
  if (!m) return undefined;
  const l = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
  };
  const check = dateOfDay(dayNumber(l.year, l.month, l.day));
  if (check.month !== l.month || check.day !== l.day || l.hour > 23 || l.minute > 59) return undefined;
  return instantOf(l, zone);
}

/** `2026-12-24 18:00` on the wall clock of `zone`. */
export function formatLocal(t: number, zone: string): string {
  const l = localAt(t, zone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${p(l.month)}-${p(l.day)} ${p(l.hour)}:${p(l.minute)}`;
}
