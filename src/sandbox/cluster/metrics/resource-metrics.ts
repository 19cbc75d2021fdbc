/**
 * The resource metrics API (`metrics.k8s.io/v1beta1`, what metrics-server serves and `kubectl top` reads):
 * PodMetrics per running pod with each running container's CPU and working-set memory from its image profile
 * (memory held under the container's limit, CPU under its CPU limit), NodeMetrics as the sum of the node's pods
 * plus the node's own overhead. Quantities are written as metrics-server writes them (nanocores, Ki).
 */
import { type Pod, parseBytes, parseCpu } from '../objects.js';
import { compileSelector } from '../selectors.js';
import type { ClusterStore, K8sObject } from '../store.js';
import { rfc3339 } from '../time.js';

export interface Usage {
  cpuCores: number;
  memoryBytes: number;
}
export type ProfileOf = (image: string) => Usage;

const WINDOW = '15s';
const NODE_OVERHEAD: Usage = { cpuCores: 0.12, memoryBytes: 640 * 2 ** 20 };
const GROUP = 'metrics.k8s.io/v1beta1';

const cpu = (cores: number) => `${Math.round(cores * 1e9)}n`;
const mem = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

function containerUsage(p: Pod, name: string, image: string, profile: ProfileOf): Usage {
  const u = profile(image);
  const limits = p.spec.containers.find((c) => c.name === name)?.resources?.limits as
    | { cpu?: string; memory?: string }
    | undefined;
  const memLimit = parseBytes(limits?.memory);
  const cpuLimit = parseCpu(limits?.cpu);
  return {
    memoryBytes: memLimit > 0 && u.memoryBytes > memLimit ? Math.round(memLimit * 0.97) : u.memoryBytes,
    cpuCores: cpuLimit > 0 ? Math.min(u.cpuCores, cpuLimit) : u.cpuCores,
  };
}

function podUsage(p: Pod, profile: ProfileOf): { name: string; usage: Usage }[] {
  return (p.status?.containerStatuses ?? [])
    .filter((cs) => cs.state.running)
    .map((cs) => ({ name: cs.name, usage: containerUsage(p, cs.name, cs.image, profile) }));
}

function running(store: ClusterStore, namespace?: string, labels?: string): Pod[] {
  return store
    .listShared('Pod', namespace, labels ? { labels } : undefined)
    .map((o) => o as unknown as Pod)
    .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
}

export function podMetrics(p: Pod, profile: ProfileOf, now: number): K8sObject {
  return {
    kind: 'PodMetrics',
    apiVersion: GROUP,
    metadata: {
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      labels: p.metadata.labels,
      creationTimestamp: rfc3339(now),
    },
    timestamp: rfc3339(now - 5000),
    window: WINDOW,
    containers: podUsage(p, profile).map((c) => ({
      name: c.name,
      usage: { cpu: cpu(c.usage.cpuCores), memory: mem(c.usage.memoryBytes) },
    })),
  } as K8sObject;
}

export function podMetricsList(
  store: ClusterStore,
  profile: ProfileOf,
  now: number,
  namespace?: string,
  labels?: string,
): K8sObject {
  return {
    kind: 'PodMetricsList',
    apiVersion: GROUP,
    metadata: {},
    items: running(store, namespace, labels)
      .filter((p) => (p.status?.containerStatuses ?? []).some((c) => c.state.running))
      .map((p) => podMetrics(p, profile, now)),
  } as unknown as K8sObject;
}

export function nodeMetricsList(store: ClusterStore, profile: ProfileOf, now: number, labels?: string): K8sObject {
  const pods = running(store);
  const match = compileSelector(labels ? { labels } : undefined);
  const items = store
    .listShared('Node')
    .filter(match)
    .map((n) => {
      const onNode = pods.filter((p) => p.spec.nodeName === n.metadata.name);
      const sum = onNode
        .flatMap((p) => podUsage(p, profile))
        .reduce(
          (a, c) => ({ cpuCores: a.cpuCores + c.usage.cpuCores, memoryBytes: a.memoryBytes + c.usage.memoryBytes }),
          NODE_OVERHEAD,
        );
      return {
        kind: 'NodeMetrics',
        apiVersion: GROUP,
        metadata: { name: n.metadata.name, labels: n.metadata.labels, creationTimestamp: rfc3339(now) },
        timestamp: rfc3339(now - 5000),
        window: WINDOW,
        usage: { cpu: cpu(sum.cpuCores), memory: mem(sum.memoryBytes) },
      };
    });
  return { kind: 'NodeMetricsList', apiVersion: GROUP, metadata: {}, items } as unknown as K8sObject;
}
