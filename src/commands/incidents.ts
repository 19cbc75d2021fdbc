/**
 * `/incidents [open|acked|resolved] [P0-P3]`: the newest incidents in that state (active ones by default) as a
 * card, one line each; "No incidents match." as text when there are none.
 */
import { z } from 'zod';
import { PRIORITIES } from '../alerts/model.js';
import { incidentListCard } from '../cards/incident-list.js';
import type { Incident } from '../incidents/model.js';
import { formatTime } from '../shared/time.js';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

const word = z.string().transform((s, c) => {
  const w = s.toLowerCase();
  if (['open', 'acked', 'resolved', 'active'].includes(w)) return { status: w };
  if (/^p[0-3]$/.test(w)) return { priority: w.toUpperCase() };
  c.addIssue({ code: 'custom', message: 'bad filter' });
  return z.NEVER;
});
const SHOWN = 20;

export const incidentsCommand = defineCommand({
  name: 'incidents',
  usage: '/incidents [open|acked|resolved] [P0-P3]',
  summary: 'command.incidents',
  args: positionalOnly(z.array(word).max(2)),
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const f = Object.assign({}, ...a.positional) as { status?: string; priority?: string };
    const status = f.status === 'acked' ? 'acknowledged' : ((f.status ?? 'active') as Incident['status'] | 'active');
    const matching = ev.deps.incidents.store.incidents
      .list({ status, limit: f.priority ? 5000 : SHOWN + 1 })
      .filter((i) => !f.priority || i.priority === f.priority);
    const rows = matching.slice(0, SHOWN);
    if (rows.length === 0) return text(t('command.incidents.none'));
    const tz = ev.deps.incidents.config.timezone;
    const card = incidentListCard({
      title: t('command.incidents.title', { filter: [f.status ?? 'active', f.priority].filter(Boolean).join(' ') }),
      worst: PRIORITIES.find((p) => rows.some((i) => i.priority === p)),
      rows: rows.map((i) => ({
        id: i.id,
        priority: i.priority,
        status: i.status,
        title: i.title,
        when: formatTime(i.firstSeen, tz),
      })),
      ...(matching.length > SHOWN ? { footer: t('command.incidents.more', { shown: SHOWN }) } : {}),
    });
    return { kind: 'card', card };
  },
});
