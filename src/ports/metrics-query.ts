/**
 * The metrics port: instant PromQL queries for evidence (memory against the limit, restarts, throttling).
 * Implemented over the Prometheus HTTP client (`mcp/prometheus/metrics-query.ts`); absent when
 * PROMETHEUS_URL is not set, and the diagnosis then says nothing about metrics.
 */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricsQuery {
  /** Where a person opens a query (the Prometheus graph page), when known. */
  graphUrl?(query: string): string;
  /** An instant query's vector result (scalars come back as one sample without labels). */
  instant(query: string): Promise<MetricSample[]>;
}
