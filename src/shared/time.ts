/** Times as people read them: one format, in the configured time zone (TZ), for cards, replies and reports. */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-25 16:07` in `timezone`. */
export function formatTime(ms: number, timezone: string): string {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f.format(new Date(ms));
}
