/**
 * `/oncall [route]`: who is on call for each route (or the one named), as configured today under `routes[]`
 * (`oncall`, `secondary_oncall`). Rotations with handovers are not configured yet, so the answer is static.
 */
import { z } from 'zod';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const oncallCommand = defineCommand({
  name: 'oncall',
  usage: '/oncall [route]',
  summary: 'command.oncall',
  args: positionalOnly(z.array(z.string().min(1)).max(1)),
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const routes = ev.deps.incidents.config.file.routes.map((r, i) => ({ ...r, label: r.name ?? `#${i + 1}` }));
    const wanted = a.positional[0]?.toLowerCase();
    const shown = wanted ? routes.filter((r) => r.label.toLowerCase() === wanted) : routes;
    if (wanted && shown.length === 0) {
      return text(t('command.oncall.noRoute', { route: wanted, routes: routes.map((r) => r.label).join(', ') || '—' }));
    }
    const who = (refs: string[]) =>
      refs.map((r) => (r.startsWith('ou_') ? `<at user_id="${r}"></at>` : r)).join(', ') || '—';
    const lines = shown
      .filter((r) => r.oncall.length > 0 || r.secondary_oncall.length > 0)
      .map((r) =>
        t('command.oncall.line', { route: r.label, primary: who(r.oncall), secondary: who(r.secondary_oncall) }),
      );
    if (lines.length === 0) return text(t('command.oncall.none'));
    return text([...lines, t('command.oncall.static')].join('\n'));
  },
});
