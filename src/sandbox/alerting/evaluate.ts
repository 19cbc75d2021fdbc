/**
 * The kube-prometheus expressions of ./kube-prometheus-rules.ts evaluated in process over the scraped series,
 * one function per rule with the same selectors, joins and output labels as the PromQL (the real Prometheus
 * runs the expressions themselves with `--real-alerting`). Range windows arrive already shortened.
 */
import { History, type Labels, labelKey, type Sample, type Scrape } from './samples.js';

export interface Instance {
  labels: Labels;
  value: number;
}

export interface EvalInput {
  history: History;
  latest: Scrape;
  /** An upstream range window (ms) as the sandbox shortens it. */
  range: (upstreamMs: number) => number;
}

type Evaluator = (e: EvalInput) => Instance[];

const MIN = 60_000;
const KSM = (l: Labels) => l.job === 'kube-state-metrics';
const KUBELET = (l: Labels) => l.job === 'kubelet' && l.metrics_path === '/metrics';
const CADVISOR = (l: Labels) => l.job === 'kubelet' && l.metrics_path === '/metrics/cadvisor';

const pick = (l: Labels, keys: readonly string[]): Labels =>
  Object.fromEntries(keys.filter((k) => l[k] !== undefined).map((k) => [k, l[k] as string]));
const omit = (l: Labels, keys: readonly string[]): Labels =>
  Object.fromEntries(Object.entries(l).filter(([k]) => !keys.includes(k)));
const of = (s: Sample): Instance => ({ labels: s.labels, value: s.value });

function podNotReady({ latest }: EvalInput): Instance[] {
  const on = ['namespace', 'pod', 'cluster'];
  const owned = new Set(
    latest.select('kube_pod_owner', (l) => l.owner_kind !== 'Job').map((s) => labelKey(s.labels, on)),
  );
  const gated = new Set(
    latest
      .select('kube_pod_status_reason', (l) => KSM(l) && l.reason === 'SchedulingGated')
      .filter((s) => s.value === 1)
      .map((s) => labelKey(s.labels, on)),
  );
  const ready = latest.keyed('kube_pod_status_ready', (l) => KSM(l) && l.condition === 'true', on);
  const byPod = new Map<string, Instance>();
  for (const s of latest.select('kube_pod_status_phase', KSM)) {
    const key = labelKey(s.labels, on);
    let v: number | undefined;
    if (s.labels.phase === 'Pending' || s.labels.phase === 'Unknown') v = s.value;
    else if (s.labels.phase === 'Running' && s.value === 1 && ready.get(key)?.value === 0) v = 1;
    if (v === undefined) continue;
    const prev = byPod.get(key);
    const labels = pick(s.labels, ['namespace', 'pod', 'job', 'cluster']);
    if (!prev || v > prev.value) byPod.set(key, { labels, value: v });
  }
  return [...byPod].filter(([k, i]) => i.value > 0 && owned.has(k) && !gated.has(k)).map(([, i]) => i);
}

function replicasMismatch(
  e: EvalInput,
  wanted: string,
  have: string,
  updated: string,
  compare: (w: number, h: number) => boolean,
): Instance[] {
  const changes = e.history.changes(updated, e.range(10 * MIN), KSM);
  const haveBy = e.latest.keyed(have, KSM);
  return e.latest.select(wanted, KSM).flatMap((s) => {
    const k = labelKey(s.labels);
    const h = haveBy.get(k);
    return h && compare(s.value, h.value) && changes.get(k) === 0 ? [of(s)] : [];
  });
}

function volumeFilling(e: EvalInput, below: number, predict: boolean): Instance[] {
  const on = ['cluster', 'namespace', 'persistentvolumeclaim'];
  const capacity = e.latest.keyed('kubelet_volume_stats_capacity_bytes', KUBELET);
  const used = e.latest.keyed('kubelet_volume_stats_used_bytes', KUBELET);
  const readOnly = new Set(
    e.latest
      .select('kube_persistentvolumeclaim_access_mode', (l) => l.access_mode === 'ReadOnlyMany')
      .filter((s) => s.value === 1)
      .map((s) => labelKey(s.labels, on)),
  );
  const trend = predict
    ? predictLinear(e.history, 'kubelet_volume_stats_available_bytes', e.range(360 * MIN))
    : undefined;
  return e.latest.select('kubelet_volume_stats_available_bytes', KUBELET).flatMap((s) => {
    const k = labelKey(s.labels);
    const cap = capacity.get(k)?.value ?? 0;
    const ratio = cap > 0 ? s.value / cap : 1;
    if (ratio >= below || (used.get(k)?.value ?? 0) <= 0 || readOnly.has(labelKey(s.labels, on))) return [];
    if (trend && !((trend.get(k) ?? 0) < 0)) return [];
    return [{ labels: s.labels, value: ratio }];
  });
}

/** predict_linear(name[window], 4d) per series: least squares over the window, 4 days ahead. */
function predictLinear(h: History, name: string, windowMs: number): Map<string, number> {
  const points = new Map<string, [number, number][]>();
  for (const scrape of h.window(windowMs))
    for (const s of scrape.select(name, KUBELET)) {
      const k = labelKey(s.labels);
      const list = points.get(k) ?? [];
      list.push([scrape.at / 1000, s.value]);
      points.set(k, list);
    }
  const at = (h.latest?.at ?? 0) / 1000;
  const out = new Map<string, number>();
  for (const [k, ps] of points) {
    if (ps.length < 2) continue;
    const n = ps.length;
    const mx = ps.reduce((a, [x]) => a + x, 0) / n;
    const my = ps.reduce((a, [, y]) => a + y, 0) / n;
    const sxx = ps.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    const slope = sxx === 0 ? 0 : ps.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
    out.set(k, my + slope * (at + 4 * 24 * 3600 - mx));
  }
  return out;
}

function cpuThrottling(e: EvalInput): Instance[] {
  const drop = ['id', 'metrics_path', 'name', 'image', 'endpoint', 'job', 'node'];
  const on = ['cluster', 'namespace', 'pod', 'container', 'instance'];
  const w = e.range(5 * MIN);
  const periods = new Map(
    [...e.history.increase('container_cpu_cfs_periods_total', w, CADVISOR).values()].map((v) => [
      labelKey(v.labels, on),
      v.value,
    ]),
  );
  return [
    ...e.history
      .increase('container_cpu_cfs_throttled_periods_total', w, (l) => CADVISOR(l) && l.container !== '')
      .values(),
  ].flatMap((t) => {
    const total = periods.get(labelKey(t.labels, on)) ?? 0;
    const ratio = total > 0 ? t.value / total : 0;
    return ratio > 0.25 ? [{ labels: omit(t.labels, drop), value: ratio }] : [];
  });
}

/** Evaluators by rule name (and severity, where upstream has two rules of one name). */
export const EVALUATORS: Record<string, Evaluator> = {
  KubePodCrashLooping: (e) =>
    [
      ...e.history
        .maxOverTime(
          'kube_pod_container_status_waiting_reason',
          e.range(5 * MIN),
          (l) => KSM(l) && l.reason === 'CrashLoopBackOff',
        )
        .values(),
    ]
      .filter((s) => s.value >= 1)
      .map(of),
  KubePodNotReady: podNotReady,
  KubeContainerWaiting: (e) =>
    e.latest
      .select('kube_pod_container_status_waiting_reason', (l) => KSM(l) && l.reason !== 'CrashLoopBackOff')
      .filter((s) => s.value > 0)
      .map(of),
  KubeDeploymentReplicasMismatch: (e) =>
    replicasMismatch(
      e,
      'kube_deployment_spec_replicas',
      'kube_deployment_status_replicas_available',
      'kube_deployment_status_replicas_updated',
      (w, h) => w > h,
    ),
  KubeDeploymentRolloutStuck: (e) =>
    e.latest
      .select(
        'kube_deployment_status_condition',
        (l) => KSM(l) && l.condition === 'Progressing' && l.status === 'false',
      )
      .filter((s) => s.value !== 0)
      .map(of),
  KubeStatefulSetReplicasMismatch: (e) =>
    replicasMismatch(
      e,
      'kube_statefulset_status_replicas_ready',
      'kube_statefulset_replicas',
      'kube_statefulset_status_replicas_updated',
      (ready, want) => ready !== want,
    ),
  KubeJobFailed: (e) =>
    e.latest
      .select('kube_job_failed', KSM)
      .filter((s) => s.value > 0)
      .map(of),
  KubeHpaMaxedOut: (e) => {
    const on = ['namespace', 'horizontalpodautoscaler', 'cluster'];
    const max = e.latest.keyed('kube_horizontalpodautoscaler_spec_max_replicas', KSM);
    const min = e.latest.keyed('kube_horizontalpodautoscaler_spec_min_replicas', KSM);
    const spread = new Set(
      [...max].filter(([k, s]) => min.get(k) && min.get(k)?.value !== s.value).map(([, s]) => labelKey(s.labels, on)),
    );
    return e.latest
      .select('kube_horizontalpodautoscaler_status_current_replicas', KSM)
      .filter((s) => max.get(labelKey(s.labels))?.value === s.value && spread.has(labelKey(s.labels, on)))
      .map(of);
  },
  KubeNodeNotReady: (e) => {
    const on = ['cluster', 'node'];
    const schedulable = new Set(
      e.latest
        .select('kube_node_spec_unschedulable', KSM)
        .filter((s) => s.value === 0)
        .map((s) => labelKey(s.labels, on)),
    );
    return e.latest
      .select('kube_node_status_condition', (l) => KSM(l) && l.condition === 'Ready' && l.status === 'true')
      .filter((s) => s.value === 0 && schedulable.has(labelKey(s.labels, on)))
      .map(of);
  },
  'KubePersistentVolumeFillingUp/critical': (e) => volumeFilling(e, 0.03, false),
  'KubePersistentVolumeFillingUp/warning': (e) => volumeFilling(e, 0.15, true),
  CPUThrottlingHigh: cpuThrottling,
  Watchdog: () => [{ labels: {}, value: 1 }],
};

export function evaluatorFor(name: string, severity: string): Evaluator | undefined {
  return EVALUATORS[`${name}/${severity}`] ?? EVALUATORS[name];
}

export { History };
