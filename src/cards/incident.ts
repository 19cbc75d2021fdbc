/**
 * The incident card (`cards/incident.json`): one per incident, sent once and patched in place as alerts join,
 * repeat and resolve and as people act. Priority sets the header colour; buttons carry CardAction values.
 * Anything from alerts (labels, annotations) is escaped so it can neither format nor mention.
 */
import type { IncidentView } from '../incidents/card-view.js';
import type { CardJson } from '../ports/feishu.js';
import { formatDuration } from '../shared/duration.js';
import type { Translate } from '../shared/i18n.js';
import { formatResourceRef } from '../shared/resource-ref.js';
import { formatTime } from '../shared/time.js';
import { button, buttonRow, type CardElement } from './button.js';
import { escapeMarkdown as esc, mentionUser, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export const PRIORITY_COLOUR = { P0: 'red', P1: 'orange', P2: 'yellow', P3: 'grey' } as const;

export interface IncidentCardOptions {
  now: number;
  timezone: string;
  /** `<at …>` mentions put at the top (only on the first send: a patch never notifies anyone). */
  mentions?: string[];
  /** Extra buttons (e.g. Investigate), placed after the built-in ones. */
  extraButtons?: CardElement[];
}

export function renderIncidentCard(view: IncidentView, t: Translate, options: IncidentCardOptions): CardJson {
  const inc = view.incident;
  const fmt = (ms: number) => formatTime(ms, options.timezone);
  const mention: CardElement[] =
    options.mentions && options.mentions.length > 0
      ? [{ tag: 'markdown', content: t('incident.mention.oncall', { mentions: options.mentions.join(' ') }) }]
      : [];
  const counts =
    inc.status === 'resolved' && view.firing > 0
      ? t('incident.field.countsAfterResolve', {
          who: person(inc.resolvedBy ?? 'system'),
          firing: view.firing,
        })
      : t('incident.field.counts', { firing: view.firing, resolved: view.resolved });
  const overview = [
    t('incident.field.status', { status: t(`incident.status.${inc.status}`) }),
    t('incident.field.since', {
      since: fmt(view.startedAt),
      ago: formatDuration(Math.max(0, options.now - view.startedAt)) || '0s',
    }),
    counts,
  ].join('\n');

  const details: CardElement[] = [];
  const facts: string[] = [];
  if (inc.resources.length > 0) {
    const names = inc.resources.map((r) => esc(formatResourceRef({ ...r, cluster: '' })));
    facts.push(t('incident.field.affected', { resources: names.join(', ') }));
  }
  if (view.alertnames.length > 0) {
    const names = view.alertnames.slice(0, 10).map((a) => `${esc(a.name)} (${a.firing}/${a.total})`);
    if (view.alertnames.length > 10) names.push('…');
    facts.push(t('incident.field.alerts', { alerts: names.join(', ') }));
  }
  const labels = Object.entries(view.keyLabels).map(([k, v]) => `${esc(k)}=${esc(v)}`);
  if (labels.length > 0) facts.push(t('incident.field.labels', { labels: labels.join(' · ') }));
  if (facts.length > 0) details.push({ tag: 'markdown', content: facts.join('\n') });

  if (view.diagnosis) {
    const d = view.diagnosis;
    details.push({
      tag: 'markdown',
      content: d.topCause
        ? t('incident.field.topCause', {
            cause: esc(d.topCause.length > 300 ? `${d.topCause.slice(0, 299)}…` : d.topCause),
          })
        : t('incident.field.diagnosedNothing', {
            verdict: t(d.verdict === 'inconclusive' ? 'incident.diagnosis.inconclusive' : 'incident.diagnosis.healthy'),
            at: fmt(d.at),
          }),
    });
  }

  const lead = view.lead;
  const summary = lead?.annotations.summary ?? lead?.annotations.message;
  const description = lead?.annotations.description;
  const text = [summary && `**${esc(summary)}**`, description && esc(description)].filter(Boolean).join('\n');
  if (text) details.push({ tag: 'markdown', content: text });

  const links: string[] = [];
  if (lead?.generatorUrl && /^https?:\/\//.test(lead.generatorUrl)) {
    links.push(`[${t('incident.link.graph')}](${safeUrl(lead.generatorUrl)})`);
  }
  const runbook = lead?.annotations.runbook_url;
  if (runbook && /^https?:\/\//.test(runbook)) links.push(`[${t('incident.link.runbook')}](${safeUrl(runbook)})`);
  if (links.length > 0) details.push({ tag: 'markdown', content: links.join(' · ') });

  const people: string[] = [
    t('incident.field.oncall', {
      people: view.oncallMentions.length > 0 ? view.oncallMentions.join(' ') : t('incident.nobody'),
    }) +
      (view.oncallRotation && inc.status !== 'resolved'
        ? t('incident.field.oncallUntil', {
            rotation: esc(view.oncallRotation.name),
            until: fmt(view.oncallRotation.until),
          })
        : ''),
  ];
  if (inc.ackedBy && inc.ackedAt) {
    people.push(t('incident.field.acked', { who: person(inc.ackedBy), at: fmt(inc.ackedAt) }));
  }
  if (inc.status === 'resolved' && inc.resolvedAt) {
    people.push(
      inc.resolvedBy && inc.resolvedBy !== 'system'
        ? t('incident.field.resolved', { who: person(inc.resolvedBy), at: fmt(inc.resolvedAt) })
        : t('incident.field.resolvedAuto', { at: fmt(inc.resolvedAt) }),
    );
  }
  if (inc.resolveNote) people.push(t('incident.field.note', { note: esc(inc.resolveNote) }));
  if (view.silence) {
    people.push(t('incident.field.silenced', { until: fmt(view.silence.endsAt), who: person(view.silence.createdBy) }));
  } else if (view.endedSilence && view.endedSilence.state !== 'active') {
    people.push(
      t('incident.field.silenceEnded', {
        who: person(view.endedSilence.createdBy),
        state: t(view.endedSilence.state === 'removed' ? 'incident.silence.removed' : 'incident.silence.expired'),
      }),
    );
  }

  const buttons: CardElement[] = [];
  if (inc.status === 'open') {
    buttons.push(
      button({ text: t('incident.button.ack'), type: 'primary', action: { action: 'ack', incidentId: inc.id } }),
    );
  }
  if (inc.status !== 'resolved') {
    if (!view.silence) {
      buttons.push(
        button({
          text: t('incident.button.silence'),
          action: { action: 'silence', incidentId: inc.id, duration: '1h' },
        }),
      );
    }
    buttons.push(
      button({
        text: t('incident.button.resolve'),
        type: 'danger',
        action: { action: 'resolve', incidentId: inc.id },
        confirm: { title: t('incident.button.resolve'), text: t('incident.button.resolveConfirm') },
      }),
    );
    buttons.push(
      button({ text: t('incident.button.investigate'), action: { action: 'investigate', incidentId: inc.id } }),
    );
    buttons.push(...(options.extraButtons ?? []));
  }

  const colour = inc.status === 'resolved' ? 'green' : PRIORITY_COLOUR[inc.priority];
  return renderTemplate('incident', {
    summary: plainText(`${inc.priority} ${view.title}`),
    title: plainText(t('incident.title', { priority: inc.priority, title: view.title })),
    subtitle: plainText(`#${inc.id} · ${t(`incident.priority.${inc.priority}`)}`),
    color: colour,
    status: t(`incident.status.${inc.status}`),
    statusColor: inc.status === 'resolved' ? 'green' : inc.status === 'acknowledged' ? 'blue' : colour,
    mention,
    overview,
    details,
    people: people.join('\n'),
    buttons: buttonRow(buttons),
  });
}

/** A person in card markdown: an open_id becomes a mention, anything else is shown as text. */
function person(ref: string): string {
  return mentionUser(ref);
}

/** A URL inside a markdown link: parentheses and spaces would end the link early. */
function safeUrl(url: string): string {
  // encodeURIComponent leaves ( and ) alone, so percent-encode these characters by hand.
  return url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
