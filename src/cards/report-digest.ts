/**
 * The daily and weekly digest cards (`cards/report-daily.json`, `cards/report-weekly.json`): headline counts
 * with the change against the previous period, MTTA/MTTR, the noisiest alerts and workloads, alerts nobody acted
 * on, remediation and the bot's own accuracy — with two charts where a trend reads better than numbers. Alert
 * names, workloads and labels are escaped.
 */

import type { CardJson } from '../ports/feishu.js';
import type { DigestFigures } from '../reports/digest.js';
import { QUIET_WITHIN_MS } from '../reports/digest.js';
import { localDate } from '../reports/zoned.js';
import { formatDuration } from '../shared/duration.js';
import type { Translate } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { escapeMarkdown as esc, plainText } from './markdown.js';
import { alertsPerDayChart, mttrTrendChart } from './report-charts.js';
import { changeText, rate, roughDuration } from './report-format.js';
import { renderTemplate } from './template.js';

export function renderDigestCard(f: DigestFigures, t: Translate, timezone: string): CardJson {
  const { period } = f;
  const h = f.headline;
  const p = f.previous;
  const lastDay = period.to - 1;
  const title =
    f.kind === 'daily'
      ? t('report.daily.title', { date: localDate(period.from, timezone) })
      : t('report.weekly.title', { from: localDate(period.from, timezone), to: localDate(lastDay, timezone) });
  const headline = [
    t('report.alerts', { total: h.alerts, change: changeText(h.alerts, p.alerts, t), ...f.alertsByPriority }),
    t('report.incidents', {
      opened: h.opened,
      change: changeText(h.opened, p.opened, t),
      resolved: h.resolved,
      open: f.stillOpen,
    }),
  ].join('\n');
  const times = [
    t('report.mtta', {
      median: roughDuration(h.mtta.median, t),
      p90: roughDuration(h.mtta.p90, t),
      n: h.mtta.n,
      change: changeText(h.mtta.median, p.mtta.median, t),
    }),
    t('report.mttr', {
      median: roughDuration(h.mttr.median, t),
      p90: roughDuration(h.mttr.p90, t),
      n: h.mttr.n,
      change: changeText(h.mttr.median, p.mttr.median, t),
    }),
  ].join('\n');
  const ranked = (heading: string, rows: { name: string; count: number }[]) =>
    [
      heading,
      ...(rows.length === 0
        ? [t('report.none')]
        : rows.map((r, i) => t('report.rank', { rank: i + 1, name: esc(r.name), count: r.count }))),
    ].join('\n');
  const quiet = [
    t('report.quiet', { within: formatDuration(QUIET_WITHIN_MS) }),
    ...(f.neverActioned.length === 0
      ? [t('report.quiet.none')]
      : f.neverActioned.map((q, i) => {
          const owners = Object.entries(q.owners).map(([k, v]) => `${esc(k)}=${esc(v)}`);
          const name =
            q.generatorUrl && /^https?:\/\//.test(q.generatorUrl)
              ? `[${esc(q.alertname)}](${safeUrl(q.generatorUrl)})`
              : esc(q.alertname);
          return t('report.quiet.line', {
            rank: i + 1,
            name,
            incidents: q.incidents,
            lasted: roughDuration(q.medianMs, t),
            owners: owners.length > 0 ? ` · ${owners.join(' ')}` : '',
          });
        })),
  ].join('\n');
  const a = f.accuracy;
  const remediation = [
    t('report.runs', {
      started: f.runs.started,
      succeeded: f.runs.succeeded,
      failed: f.runs.failed,
      rolledBack: f.runs.rolledBack,
      inProgress: f.runs.inProgress,
      rate: rate(f.runs.successRate, t),
    }),
    t('report.verifications', f.verifications),
    t('report.fixes', {
      window: formatDuration(f.recurrenceWindow),
      worked: f.fixes.worked,
      judged: f.fixes.judged,
      pending: f.fixes.pending > 0 ? t('report.fixes.pending', { n: f.fixes.pending }) : '',
    }),
    a.graded === 0
      ? t('report.accuracy.none')
      : t('report.accuracy', {
          rate: rate(a.accuracy, t),
          right: a.right,
          partly: a.partly,
          wrong: a.wrong,
          graded: a.graded,
          votes: a.votes,
        }),
    t('report.silences', { n: f.silencesActive }),
  ].join('\n');
  return renderTemplate(f.kind === 'daily' ? 'report-daily' : 'report-weekly', {
    summary: plainText(title),
    title: plainText(title),
    subtitle: plainText(
      t('report.subtitle', {
        from: formatTime(period.from, timezone),
        to: formatTime(period.to, timezone),
        tz: timezone,
      }),
    ),
    color: f.kind === 'daily' ? 'blue' : 'indigo',
    headline,
    alertsChart: alertsPerDayChart(f, t, timezone),
    times,
    mttrChart: mttrTrendChart(f, t, timezone),
    noisyAlerts: ranked(t('report.noisyAlerts'), f.noisiestAlerts),
    noisyWorkloads: ranked(t('report.noisyWorkloads'), f.noisiestWorkloads),
    quiet,
    remediation,
    footer: t('report.footer', { asOf: formatTime(f.asOf, timezone) }),
  });
}

/** A URL inside a markdown link: parentheses and spaces would end the link early. */
export function safeUrl(url: string): string {
  return url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
