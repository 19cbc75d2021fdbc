/** Recorded Kubernetes objects (as the API returns them) → a snapshot or an in-memory cluster reader. */

import { Snapshot, type SnapshotKind } from '../../../src/diagnosis/snapshot.js';
import type { ClusterReader, KubeObject, ReadKind } from '../../../src/ports/cluster.js';

export const NOW = Date.parse('2026-11-25T08:00:00Z');

export type Recorded = Partial<{ [K in SnapshotKind]: unknown[] }> & { event?: unknown[] };

export function snapshotOf(r: Recorded, namespace: string | undefined = 'shop'): Snapshot {
  const kinds: SnapshotKind[] = [
    'pod',
    'deployment',
    'replicaset',
    'statefulset',
    'daemonset',
    'service',
    'endpoints',
    'ingress',
    'configmap',
    'secret',
    'persistentvolumeclaim',
    'horizontalpodautoscaler',
    'job',
    'cronjob',
    'poddisruptionbudget',
    'networkpolicy',
    'node',
    'storageclass',
  ];
  const objects = Object.fromEntries(kinds.map((k) => [k, r[k] ?? []])) as never;
  return new Snapshot('prod', namespace, NOW, objects, (r.event ?? []) as never);
}

/** A reader over recorded objects; `logs` by `ns/pod/container[/previous]`. */
export function recordedReader(r: Recorded, logs: Record<string, string[]> = {}): ClusterReader & { calls: string[] } {
  const calls: string[] = [];
  const inNs = (o: unknown, ns?: string) =>
    ns === undefined || (o as { metadata?: { namespace?: string } }).metadata?.namespace === ns;
  return {
    calls,
    defaultCluster: 'prod',
    async list<K extends ReadKind>(_c: string, kind: K, ns?: string) {
      calls.push(`list ${kind}`);
      return ((r as Record<string, unknown[]>)[kind] ?? []).filter((o) => inNs(o, ns)) as KubeObject<K>[];
    },
    async get<K extends ReadKind>(_c: string, kind: K, ns: string | undefined, name: string) {
      return ((r as Record<string, unknown[]>)[kind] ?? []).find(
        (o) => inNs(o, ns) && (o as { metadata?: { name?: string } }).metadata?.name === name,
      ) as KubeObject<K> | undefined;
    },
    async events(_c: string, ns?: string) {
      calls.push('list event');
      return (r.event ?? []).filter((o) => inNs(o, ns)) as never;
    },
    async logs(_c, ns, pod, req) {
      calls.push(`logs ${pod}`);
      return logs[`${ns}/${pod}/${req.container}${req.previous ? '/previous' : ''}`] ?? [];
    },
    async rolloutHistory() {
      return [];
    },
  };
}

export function pod(
  name: string,
  o: { ns?: string; labels?: Record<string, string>; owner?: string; spec?: object; status?: object } = {},
) {
  return {
    metadata: {
      name,
      namespace: o.ns ?? 'shop',
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: o.owner, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/shop/app:1.0.0' }], ...o.spec },
    status: { phase: 'Running', ...o.status },
  };
}

export function event(kind: string, name: string, reason: string, message: string, ns = 'shop') {
  return {
    metadata: { name: `${name}.1`, namespace: ns },
    involvedObject: { kind, name, namespace: ns },
    reason,
    message,
    type: 'Warning',
    count: 3,
    lastTimestamp: '2026-11-25T07:59:00Z',
  };
}
