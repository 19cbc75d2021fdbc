/**
 * Arguments that drive each built-in Kubernetes tool down every API path it has: every kind a `kind` argument
 * accepts, every workload kind, one namespace and all namespaces, reads and (real, not dry-run) writes, against
 * objects that exist in `seedProbeCluster`. A tool without an entry here fails the RBAC test: a new tool must
 * say how to exercise it before the manifests can be checked against it.
 */
import { KINDS } from '../../src/mcp/k8s/kinds.js';
import type { ClusterStore, K8sObject } from '../../src/sandbox/cluster/index.js';
import { seedShop } from './seed-cluster.js';

type Args = Record<string, unknown>;
const ns = 'shop';
const WORKLOADS = ['deployment', 'statefulset', 'daemonset'] as const;

export const TOOL_PROBES: Record<string, Args[]> = {
  resources_list: KINDS.flatMap((kind) => [{ kind }, { kind, namespace: ns }]),
  resource_get: KINDS.map((kind) => ({ kind, name: 'checkout', namespace: ns })),
  resource_describe: KINDS.map((kind) => ({ kind, name: 'checkout', namespace: ns })),
  pod_logs: [{ name: 'checkout-7d9f8b6c5-x2x9q', namespace: ns, tail: 5 }],
  events_list: [{}, { namespace: ns }],
  rollout_status: WORKLOADS.map((kind) => ({ kind, name: 'checkout', namespace: ns })),
  rollout_history: [{ name: 'checkout', namespace: ns }],
  top: [{ target: 'pods' }, { target: 'pods', namespace: ns }, { target: 'nodes' }],
  diagnose: [{ namespace: ns }, { kind: 'deploy', name: 'checkout', namespace: ns }, { kind: 'node', name: 'node-1' }],
  workload_restart: WORKLOADS.map((kind) => ({ kind, name: 'checkout', namespace: ns })),
  workload_scale: (['deployment', 'statefulset'] as const).map((kind) => ({
    kind,
    name: 'checkout',
    namespace: ns,
    replicas: 3,
  })),
  deployment_rollback: [{ name: 'checkout', namespace: ns }],
  set_image: WORKLOADS.map((kind) => ({
    kind,
    name: 'checkout',
    namespace: ns,
    container: 'checkout',
    image: 'registry.example.com/shop/checkout:1.4.3',
  })),
  set_resources: WORKLOADS.map((kind) => ({
    kind,
    name: 'checkout',
    namespace: ns,
    container: 'checkout',
    requests: { cpu: '200m' },
  })),
  pod_delete: [{ name: 'cart-5c6d7f8b9-abcde', namespace: ns }],
  node_cordon: [{ name: 'node-1' }],
  node_uncordon: [{ name: 'node-1' }],
};

/** The shop, plus a statefulset and a daemonset named like the deployment, so every workload kind resolves. */
export function seedProbeCluster(store: ClusterStore): void {
  seedShop(store);
  const template = {
    metadata: { labels: { app: 'checkout' } },
    spec: { containers: [{ name: 'checkout', image: 'registry.example.com/shop/checkout:1.4.2' }] },
  };
  const extra: K8sObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'checkout', namespace: ns },
      spec: { replicas: 1, serviceName: 'checkout', selector: { matchLabels: { app: 'checkout' } }, template },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'checkout', namespace: ns },
      spec: { selector: { matchLabels: { app: 'checkout' } }, template },
    },
  ];
  for (const o of extra) store.create(o);
}
