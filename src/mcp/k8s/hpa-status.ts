/**
 * `hpa_status`: what each HorizontalPodAutoscaler is doing — replicas (min, current, desired, max), each
 * metric's current value against its target, the conditions (AbleToScale, ScalingActive, ScalingLimited with
 * their reasons) and when it last scaled — with the ones pinned at their maximum called out.
 */
import type { V2HorizontalPodAutoscaler, V2MetricSpec, V2MetricStatus } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { age, table } from './summarize.js';
import { cluster, name, namespace } from './validate.js';

const input = z.strictObject({
  namespace: namespace.optional().describe('namespace; all namespaces when omitted'),
  name: name.optional().describe('one HPA (needs namespace)'),
  cluster,
});

function metricName(m: V2MetricSpec | V2MetricStatus): string {
  return (
    m.resource?.name ??
    m.containerResource?.name ??
    m.pods?.metric.name ??
    m.object?.metric.name ??
    m.external?.metric.name ??
    m.type
  );
}

function target(m: V2MetricSpec): string {
  const t =
    m.resource?.target ?? m.containerResource?.target ?? m.pods?.target ?? m.object?.target ?? m.external?.target;
  if (!t) return '?';
  if (t.averageUtilization !== undefined) return `${t.averageUtilization}%`;
  return String(t.averageValue ?? t.value ?? '?');
}

function current(m: V2MetricStatus | undefined): string {
  const cur =
    m?.resource?.current ??
    m?.containerResource?.current ??
    m?.pods?.current ??
    m?.object?.current ??
    m?.external?.current;
  if (!cur) return '<unknown>';
  if (cur.averageUtilization !== undefined) return `${cur.averageUtilization}%`;
  return String(cur.averageValue ?? cur.value ?? '<unknown>');
}

export function hpaRow(h: V2HorizontalPodAutoscaler, now: number) {
  const spec = h.spec;
  const st = h.status;
  const metrics = (spec?.metrics ?? []).map((m) => {
    const n = metricName(m);
    const cur = (st?.currentMetrics ?? []).find((x) => x.type === m.type && metricName(x) === n);
    return `${n} ${current(cur)}/${target(m)}`;
  });
  const conditions = (st?.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`);
  const max = spec?.maxReplicas ?? 0;
  return {
    name: h.metadata?.name,
    namespace: h.metadata?.namespace,
    target: spec?.scaleTargetRef ? `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}` : '?',
    min: spec?.minReplicas ?? 1,
    current: st?.currentReplicas ?? 0,
    desired: st?.desiredReplicas ?? 0,
    max,
    atMax: (st?.currentReplicas ?? 0) >= max,
    metrics: metrics.join('; ') || '-',
    conditions: conditions.join('; ') || '-',
    lastScale: st?.lastScaleTime ? `${age(st.lastScaleTime, now)} ago` : 'never',
  };
}

export const hpaStatusTool = defineTool({
  name: 'hpa_status',
  title: 'HPA status',
  description:
    'HorizontalPodAutoscalers: min/current/desired/max replicas, each metric against its target, the ' +
    'conditions (ScalingLimited, ScalingActive) and the last scale time; those pinned at max are called out.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    if (args.name && !args.namespace)
      return { status: 'error', reason: 'request', message: 'name needs namespace: which namespace is the HPA in?' };
    const ns = args.namespace;
    const path = `/apis/autoscaling/v2${ns ? `/namespaces/${ns}` : ''}/horizontalpodautoscalers${args.name ? `/${args.name}` : ''}`;
    const items = args.name
      ? [
          await kube(c.name, `GET ${path}`, () =>
            c.autoscaling.readNamespacedHorizontalPodAutoscaler({ name: args.name as string, namespace: ns as string }),
          ),
        ]
      : (
          await kube(c.name, `GET ${path}`, () =>
            ns
              ? c.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: ns })
              : c.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
          )
        ).items;
    if (items.length === 0)
      return {
        status: 'no_data',
        searched: `HorizontalPodAutoscalers in ${ns ? `namespace ${ns}` : 'all namespaces'} (cluster ${c.name})`,
      };
    const rows = items.map((h) => hpaRow(h, deps.now()));
    const pinned = rows.filter((r) => r.atMax);
    const head = pinned.length
      ? `at their maximum: ${pinned.map((r) => `${r.namespace}/${r.name} (${r.current}/${r.max})`).join(', ')}\n`
      : '';
    return { status: 'ok', data: { cluster: c.name, items: rows }, text: head + table(rows) };
  },
});
