import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';

const input = z.strictObject({
  metric: z
    .string()
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a metric name such as http_requests_total')
    .optional()
    .describe('one metric; every metric (up to limit) when omitted'),
  contains: z.string().max(200).optional().describe('only metrics whose name contains this text'),
  limit: z.number().int().min(1).max(2000).default(200),
});

interface Meta {
  type: string;
  help: string;
  unit: string;
}

export const metricMetadataTool = defineTool({
  name: 'metric_metadata',
  title: 'Metric metadata',
  description:
    'Type (counter, gauge, histogram, summary), help text and unit of metrics, as the scraped targets declare ' +
    'them: use it before writing PromQL (rate() only on counters, histogram_quantile() on _bucket series).',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const params: [string, string][] = args.metric ? [['metric', args.metric]] : [];
    const all = (await promGet(deps, 'metadata', params)) as Record<string, Meta[]>;
    const names = Object.keys(all)
      .filter((n) => args.contains === undefined || n.includes(args.contains))
      .sort();
    if (names.length === 0) {
      return {
        status: 'no_data',
        searched: `metadata of ${args.metric ?? 'all metrics'}${args.contains ? ` containing "${args.contains}"` : ''} on ${deps.baseUrl} (a metric without metadata may still have series: try series)`,
      };
    }
    const shown = names.slice(0, args.limit);
    // Targets may disagree about a metric; each distinct declaration is kept.
    const items = shown.map((name) => ({ metric: name, declarations: dedupe(all[name] ?? []) }));
    const lines = items.flatMap((i) =>
      i.declarations.map((d) => `${i.metric} (${d.type}${d.unit ? `, ${d.unit}` : ''}): ${d.help}`),
    );
    const more = names.length > shown.length ? `\n… ${names.length - shown.length} more (raise limit)` : '';
    return { status: 'ok', data: { metrics: items, total: names.length }, text: lines.join('\n') + more };
  },
});

function dedupe(list: Meta[]): Meta[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    const k = `${m.type}\0${m.unit}\0${m.help}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
