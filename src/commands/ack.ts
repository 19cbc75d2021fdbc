/** `/ack [id]`: acknowledges an incident (the thread's when no id is given), as the card's Ack button does. */
import { z } from 'zod';
import { acknowledge } from '../incidents/lifecycle.js';
import { incidentAccess, incidentIdArg, positionalOnly, targetIncident } from './args.js';
import { defineCommand, text } from './define.js';

export const ackCommand = defineCommand({
  name: 'ack',
  usage: '/ack [id]',
  summary: 'command.ack',
  args: positionalOnly(z.array(incidentIdArg).max(1)),
  permission: 'incident.ack',
  scope: (a, ev) => incidentAccess(ev, targetIncident(a.positional[0], ev.threadIncidentId)),
  async run(a, ev) {
    const { t } = ev.ctx;
    const id = targetIncident(a.positional[0], ev.threadIncidentId);
    if (id === undefined) return text(t('command.needIncident', { usage: '/ack <id>' }));
    const r = acknowledge(ev.deps.incidents, id, ev.ctx.actor.openId);
    if (r.ok) return text(t('incident.toast.acked', { id }));
    if (r.reason === 'not_found') return text(t('incident.toast.notFound', { id }));
    return text(
      r.incident.status === 'resolved'
        ? t('incident.toast.alreadyResolved', { id })
        : t('incident.toast.alreadyAcked', { id, who: r.incident.ackedBy ?? 'system' }),
    );
  },
});
