/**
 * The series kube-prometheus's rules read that the simulator's kube-state-metrics endpoint does not export:
 * StatefulSet and Job state (kube-state-metrics), volume usage (the kubelet's `/metrics`) and CFS throttling
 * (cAdvisor). All are derived from the simulated cluster's objects, so breaking or healing them with kubectl
 * changes them:
 * - a bound claim's usage is the percentage in its `sandbox.sre-nanobot.dev/used-percent` annotation (35 when
 *   absent): `kubectl annotate pvc ledger-data -n payments sandbox.sre-nanobot.dev/used-percent=98 --overwrite`;
 * - a running container whose process needs more CPU than its limit is throttled in proportion.
 */
import { Exposition } from '../cluster/metrics/exposition.js';
import { as, type Pod, parseBytes, parseCpu } from '../cluster/objects.js';
import type { ClusterStore, K8sObject } from '../cluster/store.js';

export const USED_PERCENT_ANNOTATION = 'sandbox.sre-nanobot.dev/used-percent';
const DEFAULT_USED_PERCENT = 35;
/** CFS enforcement period: 100 ms. */
const PERIODS_PER_SECOND = 10;

export interface ExtraMetricsInput {
  store: ClusterStore;
  /** CPU the process behind an image uses (cores). */
  cpuOf: (image: string) => number;
  now: number;
}

type Num = number | undefined;

/** kube-state-metrics series for StatefulSets and Jobs. */
export function stateMetrics(m: Exposition, store: ClusterStore): void {
  for (const s of store.listShared('StatefulSet')) {
    const l = { namespace: s.metadata.namespace ?? '', statefulset: s.metadata.name };
    const spec = (s.spec ?? {}) as { replicas?: Num };
    const st = (s.status ?? {}) as {
      replicas?: Num;
      readyReplicas?: Num;
      updatedReplicas?: Num;
      currentReplicas?: Num;
    };
    m.add('kube_statefulset_replicas', 'gauge', 'Number of desired pods for a StatefulSet.', l, spec.replicas ?? 1);
    m.add('kube_statefulset_status_replicas', 'gauge', 'The number of replicas per StatefulSet.', l, st.replicas ?? 0);
    m.add(
      'kube_statefulset_status_replicas_ready',
      'gauge',
      'The number of ready replicas per StatefulSet.',
      l,
      st.readyReplicas ?? 0,
    );
    m.add(
      'kube_statefulset_status_replicas_updated',
      'gauge',
      'The number of updated replicas per StatefulSet.',
      l,
      st.updatedReplicas ?? 0,
    );
  }
  for (const j of store.listShared('Job')) {
    const l = { namespace: j.metadata.namespace ?? '', job_name: j.metadata.name };
    const st = (j.status ?? {}) as {
      failed?: Num;
      succeeded?: Num;
      active?: Num;
      conditions?: { type: string; status: string }[];
    };
    const failed = st.conditions?.find((c) => c.type === 'Failed')?.status;
    for (const s of ['true', 'false', 'unknown'])
      m.add(
        'kube_job_failed',
        'gauge',
        'The job has failed its execution.',
        { ...l, condition: s },
        (failed ?? 'Unknown').toLowerCase() === s ? 1 : 0,
      );
    m.add('kube_job_status_failed', 'gauge', 'The number of pods which reached Phase Failed.', l, st.failed ?? 0);
    m.add(
      'kube_job_status_succeeded',
      'gauge',
      'The number of pods which reached Phase Succeeded.',
      l,
      st.succeeded ?? 0,
    );
    m.add('kube_job_status_active', 'gauge', 'The number of actively running pods.', l, st.active ?? 0);
  }
}

/** The kubelet's volume statistics for every bound claim. */
export function kubeletMetrics(m: Exposition, store: ClusterStore): void {
  for (const pvc of store.listShared('PersistentVolumeClaim')) {
    const status = (pvc.status ?? {}) as { phase?: string; capacity?: { storage?: string } };
    if (status.phase !== 'Bound') continue;
    const spec = (pvc.spec ?? {}) as { resources?: { requests?: { storage?: string } } };
    const capacity = parseBytes(status.capacity?.storage ?? spec.resources?.requests?.storage ?? '1Gi');
    const used = Math.round((capacity * usedPercent(pvc)) / 100);
    const l = { namespace: pvc.metadata.namespace ?? '', persistentvolumeclaim: pvc.metadata.name };
    m.add('kubelet_volume_stats_capacity_bytes', 'gauge', 'Capacity in bytes of the volume', l, capacity);
    m.add('kubelet_volume_stats_used_bytes', 'gauge', 'Number of used bytes in the volume', l, used);
    m.add(
      'kubelet_volume_stats_available_bytes',
      'gauge',
      'Number of available bytes in the volume',
      l,
      capacity - used,
    );
  }
}

export function usedPercent(pvc: K8sObject): number {
  const raw = Number(pvc.metadata.annotations?.[USED_PERCENT_ANNOTATION]);
  return Number.isFinite(raw) && raw >= 0 && raw <= 100 ? raw : DEFAULT_USED_PERCENT;
}

/** cAdvisor's CFS counters for every running container that has a CPU limit. */
export function cadvisorMetrics(m: Exposition, input: ExtraMetricsInput): void {
  for (const raw of input.store.listShared('Pod')) {
    const pod = as<Pod>(raw);
    for (const cs of pod.status?.containerStatuses ?? []) {
      const startedAt = cs.state?.running?.startedAt;
      if (!startedAt) continue;
      const spec = pod.spec.containers.find((c) => c.name === cs.name);
      const limit = parseCpu(spec?.resources?.limits?.cpu);
      if (!spec || limit <= 0) continue;
      const seconds = Math.max(0, (input.now - Date.parse(startedAt)) / 1000);
      const periods = Math.floor(seconds * PERIODS_PER_SECOND);
      const need = input.cpuOf(spec.image);
      const throttled = need > limit ? Math.floor(periods * (1 - limit / need)) : 0;
      const l = {
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        container: cs.name,
        image: spec.image,
        node: pod.spec.nodeName ?? '',
      };
      m.add(
        'container_cpu_cfs_periods_total',
        'counter',
        'Number of elapsed enforcement period intervals.',
        l,
        periods,
      );
      m.add(
        'container_cpu_cfs_throttled_periods_total',
        'counter',
        'Number of throttled period intervals.',
        l,
        throttled,
      );
    }
  }
}

export function renderStateExtras(store: ClusterStore): string {
  const m = new Exposition();
  stateMetrics(m, store);
  return m.render();
}

export function renderKubelet(store: ClusterStore): string {
  const m = new Exposition();
  kubeletMetrics(m, store);
  return m.render();
}

export function renderCadvisor(input: ExtraMetricsInput): string {
  const m = new Exposition();
  cadvisorMetrics(m, input);
  return m.render();
}
