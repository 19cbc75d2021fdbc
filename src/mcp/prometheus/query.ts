import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';
import { iso, renderVector, type Sample, type VectorItem } from './render.js';
import { parseTime, promql, timeArg } from './validate.js';

const input = z.strictObject({
  query: promql,
  time: timeArg.optional().describe('evaluation time: now, now-15m, RFC3339 or unix seconds (default now)'),
});

export const queryTool = defineTool({
  name: 'query',
  title: 'PromQL instant query',
  description: 'Evaluate a PromQL expression at one instant; returns each series with its value.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const at = parseTime(args.time ?? 'now', deps.now()) as number;
    const data = (await promGet(deps, 'query', [
      ['query', args.query],
      ['time', String(at)],
    ])) as { resultType: string; result: unknown };
    const searched = `PromQL \`${args.query}\` at ${iso(at)} on ${deps.baseUrl}`;
    switch (data.resultType) {
      case 'vector': {
        const items = data.result as VectorItem[];
        if (items.length === 0) return { status: 'no_data', searched };
        return { status: 'ok', data, text: renderVector(items) };
      }
      case 'scalar':
      case 'string': {
        const s = data.result as Sample;
        return { status: 'ok', data, text: `${data.resultType} ${s[1]} at ${iso(s[0])}` };
      }
      default:
        return { status: 'ok', data, text: JSON.stringify(data.result) };
    }
  },
});
