import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';

const input = z.strictObject({
  limit: z.number().int().min(1).max(50).default(10).describe('entries per top-N list'),
});

interface Count {
  name: string;
  value: number;
}
interface TsdbStatus {
  headStats?: { numSeries?: number; numLabelPairs?: number; chunkCount?: number; minTime?: number; maxTime?: number };
  seriesCountByMetricName?: Count[];
  labelValueCountByLabelName?: Count[];
  memoryInBytesByLabelName?: Count[];
  seriesCountByLabelValuePair?: Count[];
}

export const tsdbStatusTool = defineTool({
  name: 'tsdb_status',
  title: 'Prometheus TSDB status',
  description:
    'Cardinality of the Prometheus head block: total series, and the metrics, labels and label pairs with the ' +
    'most series — for "why is Prometheus slow / out of memory" and to spot a label explosion.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const s = (await promGet(deps, 'status/tsdb', [['limit', String(args.limit)]])) as TsdbStatus;
    const head = s.headStats ?? {};
    const top = (title: string, list: Count[] | undefined) =>
      list && list.length > 0 ? [`${title}:`, ...list.slice(0, args.limit).map((c) => `  ${c.name}: ${c.value}`)] : [];
    const span =
      head.minTime !== undefined && head.maxTime !== undefined && head.maxTime > head.minTime
        ? ` covering ${Math.round((head.maxTime - head.minTime) / 60_000)} min`
        : '';
    const text = [
      `head: ${head.numSeries ?? '?'} series, ${head.numLabelPairs ?? '?'} label pairs, ${head.chunkCount ?? '?'} chunks${span}`,
      ...top('series by metric', s.seriesCountByMetricName),
      ...top('values by label', s.labelValueCountByLabelName),
      ...top('series by label pair', s.seriesCountByLabelValuePair),
      ...top('memory (bytes) by label', s.memoryInBytesByLabelName),
    ].join('\n');
    return { status: 'ok', data: s, text };
  },
});
