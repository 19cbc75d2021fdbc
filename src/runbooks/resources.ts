/** The kinds a runbook can name, and the resource conditions a check can wait for, with the kinds each fits. */
export const RESOURCE_KINDS = [
  'pod',
  'deployment',
  'statefulset',
  'daemonset',
  'service',
  'endpoints',
  'node',
  'job',
  'persistentvolumeclaim',
  'horizontalpodautoscaler',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const CLUSTER_SCOPED: readonly ResourceKind[] = ['node'];

const WORKLOADS = ['deployment', 'statefulset', 'daemonset'] as const;
/** Each resource condition and the kinds it applies to. */
export const CONDITION_KINDS = {
  exists: RESOURCE_KINDS,
  absent: RESOURCE_KINDS,
  rollout_complete: WORKLOADS,
  pods_ready: [...WORKLOADS, 'pod'],
  restarts_stopped: [...WORKLOADS, 'pod'],
  endpoints_ready: ['service'],
  node_schedulable: ['node'],
  node_unschedulable: ['node'],
  node_drained: ['node'],
  job_complete: ['job'],
  pod_failed: ['pod'],
} as const satisfies Record<string, readonly ResourceKind[]>;
export type ResourceCondition = keyof typeof CONDITION_KINDS;
