/** `MetricsQuery` over the Prometheus HTTP client: instant queries for diagnosis evidence. */
import type { MetricSample, MetricsQuery } from '../../ports/metrics-query.js';
import { type PrometheusDeps, promGet } from './client.js';

type Vector = { metric: Record<string, string>; value: [number, string] }[];

export class PrometheusMetricsQuery implements MetricsQuery {
  constructor(private readonly deps: PrometheusDeps) {}

  graphUrl(query: string): string {
    return `${this.deps.baseUrl ?? ''}/graph?g0.expr=${encodeURIComponent(query)}&g0.tab=0`;
  }

  async instant(query: string): Promise<MetricSample[]> {
    const data = (await promGet(this.deps, 'query', [
      ['query', query],
      ['time', String(this.deps.now() / 1000)],
    ])) as { resultType?: string; result?: unknown };
    if (data.resultType === 'scalar' && Array.isArray(data.result))
      return [{ labels: {}, value: Number((data.result as [number, string])[1]) }];
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) return [];
    return (data.result as Vector).map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  }
}
