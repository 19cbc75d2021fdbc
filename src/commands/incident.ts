/**
 * `/incident <id> [report|postmortem]`: the incident's card (status, alerts, timeline), as posted in its chat;
 * `report` answers its incident report (with the accuracy vote), `postmortem` a postmortem draft — written up
 * by the LLM when one is configured.
 */
import { z } from 'zod';
import { renderIncidentCard } from '../cards/incident.js';
import { renderPostmortemCard } from '../cards/report-postmortem.js';
import { incidentView } from '../incidents/card-view.js';
import { cardOptions } from '../incidents/publish.js';
import { buildIncidentReport } from '../reports/incident.js';
import { writePostmortem } from '../reports/postmortem.js';
import { incidentIdArg, positionalOnly, targetIncident } from './args.js';
import { defineCommand, text } from './define.js';

const USAGE = '/incident <id> [report|postmortem]';
const view = z.enum(['report', 'postmortem']);

/** `[id] [report|postmortem]`, either part optional (the thread's incident is implied). */
const words = z
  .array(z.string())
  .max(2)
  .transform((ws, c) => {
    const [first, second] = ws;
    const id = first === undefined ? undefined : incidentIdArg.safeParse(first);
    if (id?.success) {
      const v = second === undefined ? undefined : view.safeParse(second.toLowerCase());
      if (v && !v.success) {
        c.addIssue({ code: 'custom', message: 'unknown view' });
        return z.NEVER;
      }
      return { id: id.data, view: v?.data };
    }
    const v = first === undefined ? undefined : view.safeParse(first.toLowerCase());
    if ((v && !v.success) || second !== undefined) {
      c.addIssue({ code: 'custom', message: 'bad arguments' });
      return z.NEVER;
    }
    return { id: undefined, view: v?.data };
  });

export const incidentCommand = defineCommand({
  name: 'incident',
  usage: USAGE,
  summary: 'command.incident',
  args: positionalOnly(words),
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const d = ev.deps.incidents;
    const id = targetIncident(a.positional.id, ev.threadIncidentId);
    if (id === undefined) return text(t('command.needIncident', { usage: USAGE }));
    const inc = d.store.incidents.get(id);
    if (!inc) return text(t('incident.toast.notFound', { id }));
    const { view: which } = a.positional;
    if (which === undefined) {
      return { kind: 'card', card: renderIncidentCard(incidentView(d, inc), d.t, cardOptions(d)) };
    }
    const reports = ev.deps.reports;
    if (!reports) return text(t('command.report.unavailable'));
    if (which === 'report') {
      const card = buildIncidentReport(id, reports);
      return card ? { kind: 'card', card } : text(t('incident.toast.notFound', { id }));
    }
    if (reports.llm) ev.interim(t('command.incident.postmortemWriting', { id }));
    const pm = await writePostmortem(id, reports, ev.ctx.signal);
    if (!pm) return text(t('incident.toast.notFound', { id }));
    return { kind: 'card', card: renderPostmortemCard(id, pm, t) };
  },
});
