import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';

interface Rule {
  name: string;
  query: string;
  type: string;
  state?: string;
  health?: string;
  labels?: Record<string, string>;
  alerts?: unknown[];
}

const input = z.strictObject({
  type: z.enum(['alert', 'record', 'any']).default('any'),
  name: z.string().max(200).optional().describe('only the rule with this name'),
});

export const rulesTool = defineTool({
  name: 'rules',
  title: 'Alerting and recording rules',
  description: 'List alerting and recording rules with their PromQL, state and health, grouped by rule group.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const params: [string, string][] = args.type === 'any' ? [] : [['type', args.type]];
    const data = (await promGet(deps, 'rules', params)) as { groups: { name: string; rules: Rule[] }[] };
    const rules = data.groups.flatMap((g) =>
      g.rules
        .filter((r) => args.name === undefined || r.name === args.name)
        .map((r) => ({ group: g.name, ...r, alerts: r.alerts?.length ?? 0 })),
    );
    if (rules.length === 0) {
      return {
        status: 'no_data',
        searched: `${args.type} rules${args.name ? ` named ${args.name}` : ''} on ${deps.baseUrl}`,
      };
    }
    const text = rules
      .map((r) => `[${r.group}] ${r.type} ${r.name} (${r.state ?? r.health ?? '?'}, ${r.alerts} alerts): ${r.query}`)
      .join('\n');
    return { status: 'ok', data: { rules }, text };
  },
});
