import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';
import { seriesName } from './render.js';
import { parseTime, seriesSelector, timeArg } from './validate.js';

const input = z.strictObject({
  match: z.array(seriesSelector).min(1).max(20).describe('series selectors, e.g. ["up{job=\\"api\\"}"]'),
  start: timeArg.default('now-1h'),
  end: timeArg.default('now'),
  limit: z.number().int().min(1).max(5000).default(200),
});

export const seriesTool = defineTool({
  name: 'series',
  title: 'Find series',
  description: 'List the series (label sets) matching selectors within a time range.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const now = deps.now();
    const params: [string, string][] = [
      ...args.match.map((m): [string, string] => ['match[]', m]),
      ['start', String(parseTime(args.start, now))],
      ['end', String(parseTime(args.end, now))],
    ];
    const series = (await promGet(deps, 'series', params)) as Record<string, string>[];
    if (series.length === 0) {
      return { status: 'no_data', searched: `series matching ${args.match.join(', ')} on ${deps.baseUrl}` };
    }
    const shown = series.slice(0, args.limit);
    const more = series.length > shown.length ? `\n… ${series.length - shown.length} more (raise limit)` : '';
    return {
      status: 'ok',
      data: { series: shown, total: series.length },
      text: shown.map(seriesName).join('\n') + more,
    };
  },
});
