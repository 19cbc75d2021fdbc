import type { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../shared/metrics.js';

/** The gateway's instruments, shared by every receiver or worker built on the same registry. */
export function counterOf<L extends string>(metrics: Metrics, name: string, help: string, labels: L[]): Counter<L> {
  return (metrics.registry.getSingleMetric(name) as Counter<L> | undefined) ?? metrics.counter(name, help, labels);
}

export function gaugeOf(metrics: Metrics, name: string, help: string): Gauge {
  return (metrics.registry.getSingleMetric(name) as Gauge | undefined) ?? metrics.gauge(name, help);
}
