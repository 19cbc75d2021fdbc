import type { ClusterStore } from '../store.js';
import { autoscalers, nodes, services, storage, workloads } from './cluster.js';
import { Exposition, type MetricsOptions } from './exposition.js';
import { pods } from './pods.js';

export type { MetricsOptions } from './exposition.js';

/** kube-state-metrics-style series for everything in the store (the `job` label comes from the scrape). */
export function renderMetrics(store: ClusterStore, opts: MetricsOptions = {}): string {
  const m = new Exposition();
  pods(m, store, opts);
  workloads(m, store);
  nodes(m, store);
  storage(m, store);
  autoscalers(m, store);
  services(m, store);
  return m.render();
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
