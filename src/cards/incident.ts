/**
 * The incident card: one per incident, sent once and patched in place as alerts join, repeat and resolve and
 * as people act. Priority sets the header colour; buttons carry CardAction values (src/cards/actions.ts).
 * Anything from alerts (labels, annotations) is escaped so it can neither format nor mention.
 */

import type { IncidentView } from '../incidents/view.js';
import type { CardJson } from '../ports/feishu.js';
import { formatDuration } from '../shared/duration.js';
import type { Translate } from '../shared/i18n.js';

export const PRIORITY_COLOUR = { P0: 'red', P1: 'orange', P2: 'yellow', P3: 'grey' } as const;

export interface IncidentCardOptions {
  now: number;
  timezone: string;
  /** `<at …>` mentions put at the top (only on the first send: a patch never notifies anyone). */
  mentions?: string[];
  /** Extra buttons (e.g. Investigate), placed after the built-in ones. */
  extraButtons?: CardJson[];
}

export function renderIncidentCard(view: IncidentView, t: Translate, options: IncidentCardOptions): CardJson {
  const inc = view.incident;
  const fmt = (ms: number) => formatTime(ms, options.timezone);
  const elements: CardJson[] = [];
  if (options.mentions && options.mentions.length > 0) {
    elements.push(md(t('incident.mention.oncall', { mentions: options.mentions.join(' ') })));
  }
  const statusLine = [
    t('incident.field.status', { status: t(`incident.status.${inc.status}`) }),
    t('incident.field.since', { since: fmt(inc.firstSeen), ago: formatDuration(options.now - inc.firstSeen) || '0s' }),
    t('incident.field.counts', { firing: view.firing, resolved: view.resolved }),
  ];
  elements.push(md(statusLine.join('\n')));
  const facts: string[] = [];
  if (inc.resources.length > 0) {
    facts.push(t('incident.field.affected', { resources: inc.resources.map(esc).join(', ') }));
  }
  if (view.alertnames.length > 0) {
    const names = view.alertnames.slice(0, 10).map((a) => `${esc(a.name)} (${a.firing}/${a.total})`);
    if (view.alertnames.length > 10) names.push('…');
    facts.push(t('incident.field.alerts', { alerts: names.join(', ') }));
  }
  const labels = Object.entries(view.keyLabels).map(([k, v]) => `${esc(k)}=${esc(v)}`);
  if (labels.length > 0) facts.push(t('incident.field.labels', { labels: labels.join(' · ') }));
  if (facts.length > 0) elements.push(md(facts.join('\n')));

  const lead = view.lead;
  const summary = lead?.annotations.summary ?? lead?.annotations.message;
  const description = lead?.annotations.description;
  const text = [summary && `**${esc(summary)}**`, description && esc(description)].filter(Boolean).join('\n');
  if (text) elements.push(md(text));

  const links: string[] = [];
  if (lead?.generatorUrl && /^https?:\/\//.test(lead.generatorUrl)) {
    links.push(`[${t('incident.link.graph')}](${lead.generatorUrl})`);
  }
  const runbook = lead?.annotations.runbook_url;
  if (runbook && /^https?:\/\//.test(runbook)) links.push(`[${t('incident.link.runbook')}](${runbook})`);
  if (links.length > 0) elements.push(md(links.join(' · ')));

  const people: string[] = [
    t('incident.field.oncall', {
      people: view.oncallMentions.length > 0 ? view.oncallMentions.join(' ') : t('incident.nobody'),
    }),
  ];
  if (inc.ackedBy && inc.ackedAt)
    people.push(t('incident.field.acked', { who: person(inc.ackedBy), at: fmt(inc.ackedAt) }));
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
  elements.push(md(people.join('\n')));

  const buttons: CardJson[] = [];
  if (inc.status === 'open') {
    buttons.push(button(t('incident.button.ack'), 'primary', { action: 'ack', incidentId: inc.id }, 'ack'));
  }
  if (inc.status !== 'resolved') {
    if (!view.silence) {
      buttons.push(
        button(
          t('incident.button.silence'),
          'default',
          { action: 'silence', incidentId: inc.id, duration: '1h' },
          'silence',
        ),
      );
    }
    buttons.push(
      button(t('incident.button.resolve'), 'danger', { action: 'resolve', incidentId: inc.id }, 'resolve', {
        confirm: t('incident.button.resolveConfirm'),
      }),
    );
    buttons.push(...(options.extraButtons ?? []));
  }
  if (buttons.length > 0) {
    elements.push({
      tag: 'column_set',
      flex_mode: 'flow',
      columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
    });
  }

  const colour = inc.status === 'resolved' ? 'green' : PRIORITY_COLOUR[inc.priority];
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      width_mode: 'fill',
      summary: { content: plain(`${inc.priority} ${inc.title}`) },
    },
    header: {
      title: { tag: 'plain_text', content: plain(t('incident.title', { priority: inc.priority, title: inc.title })) },
      subtitle: { tag: 'plain_text', content: `#${inc.id} · ${t(`incident.priority.${inc.priority}`)}` },
      template: colour,
      text_tag_list: [
        {
          tag: 'text_tag',
          text: { tag: 'plain_text', content: t(`incident.status.${inc.status}`) },
          color: inc.status === 'resolved' ? 'green' : inc.status === 'acknowledged' ? 'blue' : colour,
        },
      ],
    },
    body: { elements },
  };
}

function md(content: string): CardJson {
  return { tag: 'markdown', content };
}

function button(
  text: string,
  type: string,
  value: Record<string, unknown>,
  id: string,
  options: { confirm?: string } = {},
): CardJson {
  return {
    tag: 'button',
    element_id: `btn_${id}`,
    type,
    size: 'medium',
    text: { tag: 'plain_text', content: text },
    ...(options.confirm
      ? {
          confirm: {
            title: { tag: 'plain_text', content: text },
            text: { tag: 'plain_text', content: options.confirm },
          },
        }
      : {}),
    behaviors: [{ type: 'callback', value }],
  };
}

/** A person in card markdown: an open_id becomes a mention, anything else is shown as text. */
function person(ref: string): string {
  return /^ou_[A-Za-z0-9_-]+$/.test(ref) ? `<at id=${ref}></at>` : esc(ref);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  '|': '&#124;',
  '\\': '&#92;',
};

/** Text from alerts, shown as written: no markdown, no tags, no mentions. */
export function esc(text: string): string {
  return text.replace(/[&<>*_~`[\]()#|\\]/g, (ch) => ENTITIES[ch] ?? ch);
}

function plain(text: string, max = 100): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function formatTime(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(ms));
}
