import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';
import { labelName, seriesSelector } from './validate.js';

const input = z.strictObject({
  label: labelName,
  match: seriesSelector.optional().describe('only values on series matching this selector'),
  limit: z.number().int().min(1).max(5000).default(500),
});

export const labelValuesTool = defineTool({
  name: 'label_values',
  title: 'Label values',
  description: 'List the values of one label (e.g. namespace, pod, job), optionally on series matching a selector.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const params: [string, string][] = args.match ? [['match[]', args.match]] : [];
    const values = (await promGet(deps, `label/${args.label}/values`, params)) as string[];
    if (values.length === 0) {
      return {
        status: 'no_data',
        searched: `values of label ${args.label}${args.match ? ` on ${args.match}` : ''} on ${deps.baseUrl}`,
      };
    }
    const shown = values.slice(0, args.limit);
    const more = values.length > shown.length ? `\n… ${values.length - shown.length} more (raise limit)` : '';
    return {
      status: 'ok',
      data: { label: args.label, values: shown, total: values.length },
      text: shown.join('\n') + more,
    };
  },
});
