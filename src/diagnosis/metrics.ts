/**
 * Prometheus evidence for a finding, when a metrics port is configured: the memory working set against the
 * limit before an OOMKill, restarts over the last hour, CPU throttling — numbers with their query, so a person
 * can open them. A query that fails or returns nothing adds nothing.
 */
import type { MetricsQuery } from '../ports/metrics-query.js';
import { formatBytes, parseQuantity } from './analyzer.js';
import type { Group } from './correlate.js';
import type { Evidence } from './finding.js';

const esc = (s: string) => s.replace(/[\\"]/g, '\\$&');
const reEsc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

const WANTS = new Set([
  'pod.oom_killed',
  'pod.crash_loop',
  'pod.liveness_failed',
  'pod.readiness_failed',
  'workload.inconclusive',
]);

export async function metricEvidence(g: Group, metrics: MetricsQuery, at: string): Promise<Evidence[]> {
  if (!WANTS.has(g.pattern)) return [];
  const pods = g.subjects.filter((s) => s.kind === 'pod').slice(0, 20);
  const ns = g.resource.namespace;
  if (pods.length === 0 || !ns) return [];
  const sel = `namespace="${esc(ns)}",pod=~"${pods.map((p) => reEsc(p.name)).join('|')}"`;
  const container = g.facts.container ? `,container="${esc(g.facts.container)}"` : '';
  const source = `prometheus`;
  const queries: { query: string; show: (v: number) => string | undefined }[] = [
    {
      query: `sum(increase(kube_pod_container_status_restarts_total{${sel}${container}}[1h]))`,
      show: (v) => `${Math.round(v)} restarts in the last hour`,
    },
    {
      query: `sum(rate(container_cpu_cfs_throttled_periods_total{${sel}${container}}[5m])) / sum(rate(container_cpu_cfs_periods_total{${sel}${container}}[5m]))`,
      show: (v) => (v > 0.05 ? `${Math.round(v * 100)}% of CPU periods throttled` : undefined),
    },
  ];
  if (g.pattern === 'pod.oom_killed') {
    const limit = parseQuantity(g.facts.memoryLimit);
    queries.unshift({
      query: `max(max_over_time(container_memory_working_set_bytes{${sel}${container}}[1h]))`,
      show: (v) =>
        `peak working set ${formatBytes(v)}${limit ? ` of the ${formatBytes(limit)} limit (${Math.round((v / limit) * 100)}%)` : ''}`,
    });
  }
  const out: Evidence[] = [];
  await Promise.all(
    queries.map(async (q, i) => {
      try {
        const samples = await metrics.instant(q.query);
        const v = samples[0]?.value;
        if (v === undefined || !Number.isFinite(v)) return;
        const value = q.show(v);
        if (!value) return;
        const url = metrics.graphUrl?.(q.query);
        out[i] = { type: 'metric', source, at, query: q.query, value, ...(url ? { url } : {}) };
      } catch {
        // No evidence from a query that failed; the finding stands on the rest.
      }
    }),
  );
  return out.filter((e) => e !== undefined);
}
