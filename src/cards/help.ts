import type { CardJson } from '../ports/feishu.js';
import { escapeMarkdown, plainText } from './markdown.js';
import { renderTemplate } from './template.js';

export interface HelpCard {
  title: string;
  intro: string;
  commands: { usage: string; summary: string }[];
  footer: string;
}

/** The `/help` answer (`cards/help.json`): what this build can do. */
export function helpCard(c: HelpCard): CardJson {
  return renderTemplate('help', {
    title: plainText(c.title),
    intro: escapeMarkdown(c.intro),
    commands: c.commands.map((cmd) => `**${escapeMarkdown(cmd.usage)}** — ${escapeMarkdown(cmd.summary)}`).join('\n'),
    footer: escapeMarkdown(c.footer),
  });
}
