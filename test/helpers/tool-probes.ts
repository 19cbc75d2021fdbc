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
  cluster_overview: [{}],
  hpa_status: [{}, { namespace: ns }, { namespace: ns, name: 'checkout' }],
  recent_changes: [{ namespace: ns }],
  storage_status: [{}, { namespace: ns }],
  resource_usage: [{}, { namespace: ns }],
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
  // force: the shop's cart pod has no controller.
  node_drain: [{ name: 'node-1', force: true, timeoutSeconds: 5 }],
  job_rerun: [{ name: 'export', namespace: ns }],
  pvc_resize: [{ name: 'data', namespace: ns, size: '20Gi' }],
  hpa_set_max: [{ name: 'checkout', namespace: ns, maxReplicas: 6 }],
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
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'export', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'export', image: 'busybox:1.36' }] } } },
      status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'expandable' },
      provisioner: 'ebs.csi.aws.com',
      allowVolumeExpansion: true,
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: {
        storageClassName: 'expandable',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
      },
      status: { phase: 'Bound', capacity: { storage: '10Gi' } },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'checkout', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' },
        minReplicas: 2,
        maxReplicas: 4,
      },
    },
  ];
  for (const o of extra) store.create(o);
}
