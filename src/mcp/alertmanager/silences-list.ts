import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type AlertmanagerDeps, amRequest } from './client.js';
import { filterMatcher, renderMatcher } from './matchers.js';

const input = z.strictObject({
  filter: z.array(filterMatcher).max(20).default([]).describe('only silences whose matchers cover these'),
  state: z
    .enum(['active', 'pending', 'expired', 'current'])
    .default('current')
    .describe('current = active and pending'),
  limit: z.number().int().min(1).max(500).default(100),
});

export interface Silence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export const silencesListTool = defineTool({
  name: 'silences_list',
  title: 'Alertmanager silences',
  description: 'Silences in Alertmanager (current ones by default): id, state, matchers, until when, who and why.',
  input,
  safetyClass: 'read',
  async run(args, deps: AlertmanagerDeps) {
    const all = (await amRequest(
      deps,
      'GET',
      'silences',
      args.filter.map((f): [string, string] => ['filter', f.trim()]),
    )) as Silence[];
    const wanted = all
      .filter((s) => (args.state === 'current' ? s.status.state !== 'expired' : s.status.state === args.state))
      .sort((a, b) => a.endsAt.localeCompare(b.endsAt));
    if (wanted.length === 0)
      return {
        status: 'no_data',
        searched: `${args.state} silences${args.filter.length ? ` matching ${args.filter.join(', ')}` : ''} on ${deps.baseUrl}`,
      };
    const shown = wanted.slice(0, args.limit).map((s) => ({
      id: s.id,
      state: s.status.state,
      matchers: s.matchers.map(renderMatcher).join(', '),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      createdBy: s.createdBy,
      comment: s.comment,
    }));
    const text = shown
      .map((s) => `${s.id} [${s.state}] {${s.matchers}} until ${s.endsAt} by ${s.createdBy}: ${s.comment}`)
      .join('\n');
    const more = wanted.length > shown.length ? `\n… ${wanted.length - shown.length} more (raise limit)` : '';
    return { status: 'ok', data: { silences: shown, total: wanted.length }, text: text + more };
  },
});
