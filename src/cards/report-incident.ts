/**
 * The incident report card (`cards/report-incident.json`): overview with MTTA/MTTR, the timeline, the root cause,
 * who did what, the alerts, links, and the accuracy vote (right / partly / wrong) with its tally. Anything from
 * alerts, notes or the agent is escaped; people are mentions.
 */

import type { CardJson } from '../ports/feishu.js';
import type { IncidentReport } from '../reports/incident.js';
import { VERDICTS } from '../reports/model.js';
import { describeEntry, isAction, type LineStyle, rootCause } from '../reports/timeline-text.js';
import type { Translate } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { button, buttonRow, type CardElement } from './button.js';
import { PRIORITY_COLOUR } from './incident.js';
import { escapeMarkdown as esc, mentionUser, plainText } from './markdown.js';
import { safeUrl } from './report-digest.js';
import { roughDuration } from './report-format.js';
import { renderTemplate } from './template.js';

/** Timeline lines shown on the card; the postmortem has them all. */
const MAX_LINES = 25;

export function renderIncidentReportCard(r: IncidentReport, t: Translate, timezone: string): CardJson {
  const inc = r.incident;
  const style: LineStyle = {
    who: (a) => (a === 'system' ? 'sre-nanobot' : mentionUser(a)),
    text: esc,
    time: (ms) => formatTime(ms, timezone),
  };
  const clock = (ms: number) => formatTime(ms, timezone).slice(11);
  const sameDay = (ms: number) =>
    formatTime(ms, timezone).slice(0, 10) === formatTime(inc.firstSeen, timezone).slice(0, 10);
  const lines = r.entries.flatMap((e) => {
    const text = describeEntry(e, t, style);
    return text === undefined ? [] : [`${sameDay(e.at) ? clock(e.at) : formatTime(e.at, timezone)} ${text}`];
  });
  const shown =
    lines.length > MAX_LINES
      ? [...lines.slice(0, MAX_LINES - 1), t('report.incident.more', { n: lines.length - MAX_LINES + 1, id: inc.id })]
      : lines;

  const cause = rootCause(r.entries);
  const causeLines = [
    ...cause.diagnosis.map((c) => `- ${esc(c)}`),
    ...(cause.investigation ? [`- ${esc(cause.investigation.trim().slice(0, 1500))}`] : []),
  ];
  const actions = r.entries.filter(isAction).flatMap((e) => {
    const text = describeEntry(e, t, style);
    return text === undefined ? [] : [`- ${text}`];
  });

  const alertNames = r.alerts.slice(0, 10).map((a) => `${esc(a.name)} (${a.total})`);
  if (r.alerts.length > 10) alertNames.push('…');
  const links: string[] = [];
  const graph = r.lead?.generatorUrl;
  if (graph && /^https?:\/\//.test(graph)) links.push(`[${t('incident.link.graph')}](${safeUrl(graph)})`);
  const runbook = r.lead?.annotations.runbook_url;
  if (runbook && /^https?:\/\//.test(runbook)) links.push(`[${t('incident.link.runbook')}](${safeUrl(runbook)})`);

  const tally =
    r.votes.right + r.votes.partly + r.votes.wrong === 0
      ? t('report.vote.none')
      : t('report.vote.tally', { ...r.votes });
  const buttons: CardElement[] = VERDICTS.map((verdict) =>
    button({
      text: t(`report.vote.${verdict}`),
      type: verdict === 'right' ? 'primary' : verdict === 'wrong' ? 'danger' : 'default',
      action: { action: 'vote', incidentId: inc.id, verdict },
    }),
  );

  const title = t('report.incident.title', { id: inc.id, title: inc.title });
  return renderTemplate('report-incident', {
    summary: plainText(title),
    title: plainText(title),
    subtitle: plainText(`${t(`incident.priority.${inc.priority}`)} · ${t(`incident.status.${inc.status}`)}`),
    color: inc.status === 'resolved' ? 'green' : PRIORITY_COLOUR[inc.priority],
    overview: t('report.incident.overview', {
      priority: inc.priority,
      status: t(`incident.status.${inc.status}`),
      opened: formatTime(inc.firstSeen, timezone),
      resolved: inc.resolvedAt === null ? t('report.none') : formatTime(inc.resolvedAt, timezone),
      mtta: roughDuration(r.mttaMs, t),
      mttr: roughDuration(r.mttrMs, t),
    }),
    timeline: [t('report.incident.timeline'), ...shown].join('\n'),
    rootCause: [
      t('report.incident.rootCause'),
      ...(causeLines.length ? causeLines : [t('report.incident.rootCause.none')]),
    ].join('\n'),
    actions: [t('report.incident.actions'), ...(actions.length ? actions : [t('report.incident.actions.none')])].join(
      '\n',
    ),
    alerts: t('report.incident.alerts', { alerts: alertNames.join(', ') || t('report.none') }),
    links: links.length ? [{ tag: 'markdown', content: t('report.incident.links', { links: links.join(' · ') }) }] : [],
    vote: t('report.incident.vote', { tally }),
    buttons: buttonRow(buttons),
  });
}
