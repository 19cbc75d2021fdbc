/** `/runbooks [category]`: the runbook catalogue as a card — id, title, risk and parameters, by category. */
import { z } from 'zod';
import { runbooksCard } from '../cards/runbooks.js';
import type { Category } from '../runbooks/schema.js';
import { CATEGORIES } from '../runbooks/schema.js';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const runbooksCommand = defineCommand({
  name: 'runbooks',
  usage: '/runbooks [category]',
  summary: 'command.runbooks',
  args: positionalOnly(z.array(z.string().min(1)).max(1)),
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const launcher = ev.deps.launcher;
    if (!launcher) return text(t('command.run.unavailable'));
    const asked = a.positional[0]?.toLowerCase().replace(/-/g, '_');
    const category = asked === undefined ? undefined : CATEGORIES.find((c) => c === asked || c.startsWith(asked));
    if (asked !== undefined && !category) {
      return text(t('command.runbooks.unknownCategory', { category: asked, categories: CATEGORIES.join(', ') }));
    }
    const shown = launcher.catalogue().filter((r) => !category || r.category === category);
    const suffix = category ? ` · ${category}` : '';
    if (shown.length === 0) return text(t('command.runbooks.none', { category: suffix }));
    const groups = CATEGORIES.map((c: Category) => ({
      category: c,
      runbooks: shown
        .filter((r) => r.category === c)
        .map((r) => ({
          id: r.id,
          title: r.title,
          risk: t('command.runbooks.risk', { risk: r.risk }),
          params: r.params.map((p) => (p.required && p.default === undefined ? p.name : `[${p.name}]`)).join(' '),
        })),
    })).filter((g) => g.runbooks.length > 0);
    return {
      kind: 'card',
      card: runbooksCard({
        title: t('command.runbooks.title', { category: suffix }),
        groups,
        footer: t('command.runbooks.footer'),
      }),
    };
  },
});
