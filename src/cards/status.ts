import type { CardJson } from '../ports/feishu.js';
import { escapeMarkdown, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export interface StatusCard {
  title: string;
  /** Red with a P0 open, orange with a P1, green with nothing open. */
  worst: 'P0' | 'P1' | 'P2' | 'P3' | undefined;
  /** Markdown the command wrote (counts, newest incidents), already escaped where it holds user text. */
  incidents: string;
  /** The cluster part: absent when no cluster tools are configured. */
  cluster?: { header: string; lines: string[]; more?: string } | { note: string };
}

const COLORS = { P0: 'red', P1: 'orange', P2: 'yellow', P3: 'blue' } as const;

/** The `/status` answer (`cards/status.json`): open incidents by priority and the unhealthy pods. */
export function statusCard(c: StatusCard): CardJson {
  const cluster: unknown[] = [];
  if (c.cluster && 'note' in c.cluster) {
    cluster.push({ tag: 'hr' }, { tag: 'markdown', content: escapeMarkdown(c.cluster.note) });
  } else if (c.cluster) {
    const body = c.cluster.lines.map((l) => `- ${escapeMarkdown(l)}`);
    if (c.cluster.more) body.push(escapeMarkdown(c.cluster.more));
    cluster.push({ tag: 'hr' }, { tag: 'markdown', content: [c.cluster.header, ...body].join('\n') });
  }
  return renderTemplate('status', {
    title: plainText(c.title),
    color: c.worst ? COLORS[c.worst] : 'green',
    incidents: c.incidents,
    cluster,
  });
}
