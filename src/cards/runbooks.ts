import type { CardJson } from '../ports/feishu.js';
import { escapeMarkdown, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export interface RunbooksCard {
  title: string;
  groups: { category: string; runbooks: { id: string; title: string; risk: string; params: string }[] }[];
  footer: string;
}

/** The `/runbooks` answer (`cards/runbooks.json`): the catalogue by category, each with its parameters. */
export function runbooksCard(c: RunbooksCard): CardJson {
  const sections = c.groups.flatMap((g) => [
    { tag: 'markdown', content: `**${escapeMarkdown(g.category)}**` },
    {
      tag: 'markdown',
      content: g.runbooks
        .map(
          (r) =>
            `- \`${r.id}\` ${escapeMarkdown(r.title)} · ${escapeMarkdown(r.risk)}${r.params ? ` · ${escapeMarkdown(r.params)}` : ''}`,
        )
        .join('\n'),
    },
  ]);
  return renderTemplate('runbooks', { title: plainText(c.title), sections, footer: escapeMarkdown(c.footer) });
}
