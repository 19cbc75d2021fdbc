import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';
import { seriesSelector } from './validate.js';

const input = z.strictObject({
  match: seriesSelector.optional().describe('only metrics of series matching this selector'),
  contains: z.string().max(200).optional().describe('only names containing this text'),
  limit: z.number().int().min(1).max(5000).default(500),
});

export const metricNamesTool = defineTool({
  name: 'metric_names',
  title: 'Metric names',
  description: 'List metric names known to Prometheus, optionally filtered by a selector or a substring.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const params: [string, string][] = args.match ? [['match[]', args.match]] : [];
    const all = (await promGet(deps, 'label/__name__/values', params)) as string[];
    const names = all.filter((n) => args.contains === undefined || n.includes(args.contains));
    if (names.length === 0) {
      return {
        status: 'no_data',
        searched: `metric names${args.match ? ` of ${args.match}` : ''}${args.contains ? ` containing "${args.contains}"` : ''} on ${deps.baseUrl}`,
      };
    }
    const shown = names.slice(0, args.limit);
    const more = names.length > shown.length ? `\n… ${names.length - shown.length} more (raise limit)` : '';
    return { status: 'ok', data: { names: shown, total: names.length }, text: shown.join('\n') + more };
  },
});
