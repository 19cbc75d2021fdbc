/** `/resolve [id] [note]`: resolves an incident with an optional note, as the card's Resolve button does. */
import { z } from 'zod';
import { resolve } from '../incidents/lifecycle.js';
import { incidentAccess, incidentIdArg, positionalOnly, targetIncident } from './args.js';
import { defineCommand, text } from './define.js';

const args = positionalOnly(
  z.array(z.string()).transform((ws) => {
    const first = incidentIdArg.safeParse(ws[0] ?? '');
    const note = (first.success ? ws.slice(1) : ws).join(' ').trim();
    return { id: first.success ? first.data : undefined, note: note || undefined };
  }),
);

export const resolveCommand = defineCommand({
  name: 'resolve',
  usage: '/resolve [id] [note]',
  summary: 'command.resolve',
  args,
  permission: 'incident.resolve',
  scope: (a, ev) => incidentAccess(ev, targetIncident(a.positional.id, ev.threadIncidentId)),
  async run(a, ev) {
    const { t } = ev.ctx;
    const id = targetIncident(a.positional.id, ev.threadIncidentId);
    if (id === undefined) return text(t('command.needIncident', { usage: '/resolve <id> [note]' }));
    const r = resolve(ev.deps.incidents, id, ev.ctx.actor.openId, a.positional.note);
    if (r.ok) return text(t('incident.toast.resolved', { id }));
    if (r.reason === 'not_found') return text(t('incident.toast.notFound', { id }));
    return text(t('incident.toast.alreadyResolved', { id }));
  },
});
