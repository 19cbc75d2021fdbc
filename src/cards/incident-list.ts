import type { CardJson } from '../ports/feishu.js';
import { escapeMarkdown, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export interface IncidentListCard {
  title: string;
  worst: 'P0' | 'P1' | 'P2' | 'P3' | undefined;
  rows: { id: number; priority: string; status: string; title: string; when: string }[];
  footer?: string;
}

const COLORS = { P0: 'red', P1: 'orange', P2: 'yellow', P3: 'blue' } as const;

/** The `/incidents` answer (`cards/incidents.json`): one line per incident, newest first. */
export function incidentListCard(c: IncidentListCard): CardJson {
  const rows = c.rows
    .map((r) => `**#${r.id}** ${r.priority} · ${escapeMarkdown(r.status)} · ${escapeMarkdown(r.title)} · ${r.when}`)
    .join('\n');
  return renderTemplate('incidents', {
    title: plainText(c.title),
    color: c.worst ? COLORS[c.worst] : 'grey',
    rows,
    footer: c.footer ? [{ tag: 'markdown', content: escapeMarkdown(c.footer), text_size: 'notation' }] : [],
  });
}
