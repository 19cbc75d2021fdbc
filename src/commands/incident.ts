/** `/incident <id>`: the incident's card (status, alerts, timeline), as posted in its chat. */
import { z } from 'zod';
import { renderIncidentCard } from '../cards/incident.js';
import { incidentView } from '../incidents/card-view.js';
import { cardOptions } from '../incidents/publish.js';
import { incidentIdArg, positionalOnly, targetIncident } from './args.js';
import { defineCommand, text } from './define.js';

export const incidentCommand = defineCommand({
  name: 'incident',
  usage: '/incident <id>',
  summary: 'command.incident',
  args: positionalOnly(z.array(incidentIdArg).max(1)),
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const d = ev.deps.incidents;
    const id = targetIncident(a.positional[0], ev.threadIncidentId);
    if (id === undefined) return text(t('command.needIncident', { usage: '/incident <id>' }));
    const inc = d.store.incidents.get(id);
    if (!inc) return text(t('incident.toast.notFound', { id }));
    return { kind: 'card', card: renderIncidentCard(incidentView(d, inc), d.t, cardOptions(d)) };
  },
});
