/** `/help [command]`: every registered command with its summary, or one command's usage. */
import { z } from 'zod';
import { helpCard } from '../cards/help.js';
import { closest } from '../shared/closest.js';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const helpCommand = defineCommand({
  name: 'help',
  usage: '/help [command]',
  summary: 'command.help',
  args: positionalOnly(z.array(z.string()).max(1)),
  permission: undefined,
  async run(a, ev) {
    const { t } = ev.ctx;
    const all = ev.deps.commands();
    const asked = a.positional[0]?.replace(/^\//, '').toLowerCase();
    if (asked) {
      const c = all.find((x) => x.name === asked);
      if (c) return text(`${c.usage} — ${t(c.summary)}`);
      const near = closest(
        asked,
        all.map((x) => x.name),
      );
      return text(
        t('command.unknown', { name: asked }) +
          (near.length ? ` ${t('command.didYouMean', { names: near.map((n) => `/${n}`).join(', ') })}` : ''),
      );
    }
    return {
      kind: 'card',
      card: helpCard({
        title: t('help.title'),
        intro: t('help.intro'),
        commands: all.map((c) => ({ usage: c.usage, summary: t(c.summary) })),
        footer: t('help.footer'),
      }),
    };
  },
});
