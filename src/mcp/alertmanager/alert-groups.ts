import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type AlertmanagerDeps, amRequest } from './client.js';
import { filterMatcher } from './matchers.js';

const input = z.strictObject({
  filter: z.array(filterMatcher).max(20).default([]).describe('matchers every alert must satisfy'),
  receiver: z.string().max(200).optional().describe('only groups routed to receivers matching this regex'),
  silenced: z.boolean().default(true).describe('include silenced alerts'),
  inhibited: z.boolean().default(true).describe('include inhibited alerts'),
  limit: z.number().int().min(1).max(200).default(50).describe('groups shown'),
});

interface Alert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
  fingerprint: string;
}
interface Group {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: Alert[];
}

export const alertGroupsTool = defineTool({
  name: 'alert_groups',
  title: 'Alertmanager alert groups',
  description:
    'Alerts as Alertmanager groups and routes them: each group (its group-by labels and receiver) with its ' +
    'alerts, state (active, suspended), the silences or inhibitions holding them, start time and summary.',
  input,
  safetyClass: 'read',
  async run(args, deps: AlertmanagerDeps) {
    const params: [string, string][] = [
      ...args.filter.map((f): [string, string] => ['filter', f.trim()]),
      ['silenced', String(args.silenced)],
      ['inhibited', String(args.inhibited)],
      ...(args.receiver ? [['receiver', args.receiver] as [string, string]] : []),
    ];
    const groups = (await amRequest(deps, 'GET', 'alerts/groups', params)) as Group[];
    const nonEmpty = groups.filter((g) => g.alerts.length > 0);
    if (nonEmpty.length === 0)
      return {
        status: 'no_data',
        searched: `alert groups${args.filter.length ? ` matching ${args.filter.join(', ')}` : ''} on ${deps.baseUrl}`,
      };
    const shown = nonEmpty.slice(0, args.limit).map((g) => ({
      group: g.labels,
      receiver: g.receiver.name,
      alerts: g.alerts.map((a) => ({
        labels: a.labels,
        state: a.status.state,
        silencedBy: a.status.silencedBy,
        inhibitedBy: a.status.inhibitedBy,
        startsAt: a.startsAt,
        summary: a.annotations?.summary ?? a.annotations?.description ?? '',
        fingerprint: a.fingerprint,
      })),
    }));
    const lines = shown.flatMap((g) => [
      `group {${Object.entries(g.group)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}} → ${g.receiver} (${g.alerts.length} alert(s))`,
      ...g.alerts.map((a) => {
        const own = Object.entries(a.labels)
          .filter(([k]) => !(k in g.group))
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        const held = a.silencedBy.length
          ? ` silenced by ${a.silencedBy.join(',')}`
          : a.inhibitedBy.length
            ? ' inhibited'
            : '';
        return `  [${a.state}${held}] since ${a.startsAt} ${own}${a.summary ? ` — ${a.summary}` : ''}`;
      }),
    ]);
    const more =
      nonEmpty.length > shown.length ? `\n… ${nonEmpty.length - shown.length} more group(s) (raise limit)` : '';
    return { status: 'ok', data: { groups: shown, total: nonEmpty.length }, text: lines.join('\n') + more };
  },
});
