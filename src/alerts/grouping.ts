/**
 * Grouping alerts into incidents. An alert's group key is made of its route's group-by labels (default
 * alertname, namespace and workload); its correlation key is the workload it concerns, so related alerts on one
 * workload (KubePodCrashLooping on a pod + KubeDeploymentReplicasMismatch on its deployment) join one incident
 * within the correlation window.
 */
import type { ResourceRef } from '../shared/resource-ref.js';

/** Labels naming a workload directly, in order of preference. */
const OWNER_LABELS = [
  ['deployment', 'deployment'],
  ['statefulset', 'statefulset'],
  ['daemonset', 'daemonset'],
  ['job_name', 'job'],
  ['cronjob', 'cronjob'],
  ['replicaset', 'deployment'],
] as const;

/** Kubernetes' safe-encoding alphabet for generated name suffixes (no vowels, no 0/1/3). */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const REPLICASET = new RegExp(`^(.+)-${SAFE}{6,10}$`);
const STATEFUL_POD = /^(.+)-\d+$/;
const DAEMON_POD = new RegExp(`^(.+)-${SAFE}{5}$`);

export interface Workload {
  kind: string;
  name: string;
}

/** The workload an alert concerns, from owner labels or its pod's name (hashes stripped). */
export function workloadOf(labels: Record<string, string>): Workload | undefined {
  for (const [label, kind] of OWNER_LABELS) {
    const v = labels[label];
    if (!v) continue;
    if (label === 'replicaset') {
      const m = REPLICASET.exec(v);
      return { kind, name: m?.[1] ?? v };
    }
    return { kind, name: v };
  }
  const pod = labels.pod;
  if (pod) {
    const dep = DEPLOYMENT_POD.exec(pod);
    if (dep) return { kind: 'deployment', name: dep[1] as string };
    const sts = STATEFUL_POD.exec(pod);
    if (sts) return { kind: 'statefulset', name: sts[1] as string };
    const ds = DAEMON_POD.exec(pod);
    if (ds) return { kind: 'daemonset', name: ds[1] as string };
    return { kind: 'pod', name: pod };
  }
  return undefined;
}

/** The Kubernetes object a workload is, in the alert's cluster (empty when the alert names none). */
export function workloadRef(labels: Record<string, string>, w: Workload, clusterLabel: string): ResourceRef {
  const ns = labels.namespace;
  return { cluster: labels[clusterLabel] ?? '', kind: w.kind, ...(ns ? { namespace: ns } : {}), name: w.name };
}

/** The incident's group key from the group-by labels; `workload` means the derived workload name. */
export function groupKeyOf(labels: Record<string, string>, groupBy: readonly string[], clusterLabel: string): string {
  const w = workloadOf(labels);
  const parts = [clusterLabel, ...groupBy.filter((g) => g !== clusterLabel)].map((key) => {
    const v = key === 'workload' ? (w?.name ?? '') : (labels[key] ?? '');
    return `${key}=${JSON.stringify(v)}`;
  });
  return `{${parts.join(',')}}`;
}

/** The workload key for correlation, or undefined when the alert concerns no workload. */
export function correlationKeyOf(labels: Record<string, string>, clusterLabel: string): string | undefined {
  const w = workloadOf(labels);
  if (!w) return undefined;
  return `${labels[clusterLabel] ?? ''}/${labels.namespace ?? ''}/${w.name}`;
}

/** An incident's title from the alert that opened it: `KubePodCrashLooping · shop/checkout`. */
export function alertTitle(alertname: string, labels: Record<string, string>): string {
  const w = workloadOf(labels);
  const where = [labels.namespace, w?.name].filter(Boolean).join('/');
  return where ? `${alertname} · ${where}` : alertname;
}
