/** `/incidents [open|acked|resolved] [P0-P3]`: the newest incidents in that state (active ones by default). */
import { z } from 'zod';
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
    const rows = ev.deps.incidents.store.incidents
      .list({ status, limit: f.priority ? 5000 : SHOWN })
      .filter((i) => !f.priority || i.priority === f.priority)
      .slice(0, SHOWN);
    if (rows.length === 0) return text(t('command.incidents.none'));
    const tz = ev.deps.incidents.config.timezone;
    return text(rows.map((i) => line(i, tz)).join('\n'));
  },
});

export function line(i: Incident, tz: string): string {
  return `#${i.id} ${i.priority} ${i.status} · ${i.title} · ${formatTime(i.firstSeen, tz)}`;
}
