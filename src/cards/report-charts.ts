/**
 * The digests' chart elements: Feishu card `chart` components carrying a VChart spec (`type`, `data.values`,
 * `xField`, `yField`, `seriesField`), drawn by Feishu clients and by the sandbox page's card renderer.
 */
import type { DigestFigures } from '../reports/digest.js';
import { localParts } from '../reports/zoned.js';
import type { Translate } from '../shared/i18n.js';
import type { CardElement } from './button.js';

const PRIORITY_COLOURS = ['#f54a45', '#ff8800', '#ffc60a', '#8f959e'];

function dayLabel(ms: number, timezone: string): string {
  const p = localParts(ms, timezone);
  return `${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Alerts per day, one bar per priority (stacked in Feishu). */
export function alertsPerDayChart(f: DigestFigures, t: Translate, timezone: string): CardElement {
  const values = f.alertsPerDay.map((v) => ({ day: dayLabel(v.day, timezone), priority: v.priority, count: v.count }));
  return {
    tag: 'chart',
    element_id: 'alerts_chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'bar',
      title: { text: t('report.chart.alerts') },
      data: [{ id: 'alerts', values }],
      xField: 'day',
      yField: 'count',
      seriesField: 'priority',
      stack: true,
      color: PRIORITY_COLOURS,
      legends: { visible: true, orient: 'bottom' },
    },
  };
}

/** Median MTTR per day (daily) or week (weekly), in minutes; buckets where nothing resolved are left out. */
export function mttrTrendChart(f: DigestFigures, t: Translate, timezone: string): CardElement {
  const values = f.mttrTrend.flatMap((b) =>
    b.medianMs === undefined
      ? []
      : [{ bucket: dayLabel(b.from, timezone), minutes: Math.round((b.medianMs / 60_000) * 10) / 10, resolved: b.n }],
  );
  return {
    tag: 'chart',
    element_id: 'mttr_chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'line',
      title: { text: t('report.chart.mttr') },
      data: [{ id: 'mttr', values }],
      xField: 'bucket',
      yField: 'minutes',
      point: { visible: true },
      label: { visible: true },
    },
  };
}
