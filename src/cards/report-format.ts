/** How reports write numbers: durations rounded to what a reader cares about, rates, and period-over-period change. */
import { change } from '../reports/figures.js';
import { formatDuration } from '../shared/duration.js';
import type { Translate } from '../shared/i18n.js';

/** `42s`, `12m30s`, `3h5m`, `2d4h`: seconds only under an hour, minutes only under a day. */
export function roughDuration(ms: number | undefined, t: Translate): string {
  if (ms === undefined) return t('report.none');
  if (ms < 3_600_000) return formatDuration(Math.round(ms / 1000) * 1000) || '0s';
  if (ms < 86_400_000) return formatDuration(Math.round(ms / 60_000) * 60_000);
  return formatDuration(Math.round(ms / 3_600_000) * 3_600_000);
}

/** `87%`, or — when there is nothing to divide. */
export function rate(x: number | undefined, t: Translate): string {
  return x === undefined ? t('report.none') : `${Math.round(x * 100)}%`;
}

/** ` (▲12% vs previous)`, or nothing when the previous period had nothing to compare with. */
export function changeText(now: number | undefined, before: number | undefined, t: Translate): string {
  if (now === undefined || before === undefined) return '';
  const pct = change(now, before);
  if (pct === undefined) return '';
  const c =
    pct > 0
      ? t('report.change.up', { pct })
      : pct < 0
        ? t('report.change.down', { pct: -pct })
        : t('report.change.same');
  return t('report.change.vs', { change: c });
}
