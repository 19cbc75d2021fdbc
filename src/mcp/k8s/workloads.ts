/** Typed read/patch of the workload kinds that roll out (deployment, statefulset, daemonset). */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { kube } from './call.js';
import type { KubeClients } from './clusters.js';

export type WorkloadKind = 'deployment' | 'statefulset' | 'daemonset';
// biome-ignore lint/suspicious/noExplicitAny: workloads are read field by field
export type Workload = any;

const PLURAL: Record<WorkloadKind, string> = {
  deployment: 'deployments',
  statefulset: 'statefulsets',
  daemonset: 'daemonsets',
};

export function workloadPath(kind: WorkloadKind, ns: string, name: string, verb = 'GET'): string {
  return `${verb} /apis/apps/v1/namespaces/${ns}/${PLURAL[kind]}/${name}`;
}

export function readWorkload(c: KubeClients, kind: WorkloadKind, ns: string, name: string): Promise<Workload> {
  return kube<Workload>(c.name, workloadPath(kind, ns, name), () => {
    const p = { name, namespace: ns };
    switch (kind) {
      case 'deployment':
        return c.apps.readNamespacedDeployment(p);
      case 'statefulset':
        return c.apps.readNamespacedStatefulSet(p);
      case 'daemonset':
        return c.apps.readNamespacedDaemonSet(p);
    }
  });
}

export type PatchType = 'strategic' | 'merge' | 'json';
const CONTENT_TYPE: Record<PatchType, string> = {
  strategic: PatchStrategy.StrategicMergePatch,
  merge: PatchStrategy.MergePatch,
  json: PatchStrategy.JsonPatch,
};

export function patchWorkload(
  c: KubeClients,
  kind: WorkloadKind,
  ns: string,
  name: string,
  body: unknown,
  type: PatchType,
  dryRun: boolean,
): Promise<Workload> {
  const opts = setHeaderOptions('Content-Type', CONTENT_TYPE[type]);
  const p = {
    name,
    namespace: ns,
    body: body as object,
    dryRun: dryRun ? 'All' : undefined,
    fieldManager: 'sre-nanobot',
  };
  return kube<Workload>(
    c.name,
    `${workloadPath(kind, ns, name, 'PATCH')}${dryRun ? '?dryRun=All' : ''} (${type} patch)`,
    () => {
      switch (kind) {
        case 'deployment':
          return c.apps.patchNamespacedDeployment(p, opts);
        case 'statefulset':
          return c.apps.patchNamespacedStatefulSet(p, opts);
        case 'daemonset':
          return c.apps.patchNamespacedDaemonSet(p, opts);
      }
    },
  );
}

export function patchContentType(type: PatchType) {
  return setHeaderOptions('Content-Type', CONTENT_TYPE[type]);
}
