import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, name, namespace, workloadKind } from './validate.js';
import { readWorkload, type Workload, type WorkloadKind } from './workloads.js';

const input = z.strictObject({ kind: workloadKind.default('deployment'), name, namespace, cluster });

/** kubectl rollout status, computed once: done, progressing (with why), or failed. */
export function rolloutState(
  kind: WorkloadKind,
  w: Workload,
): { state: 'done' | 'progressing' | 'failed'; message: string } {
  const s = w.status ?? {};
  const spec = w.spec ?? {};
  if ((w.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return { state: 'progressing', message: 'waiting for the rollout to be observed by the controller' };
  }
  if (kind === 'deployment') {
    const progressing = (s.conditions ?? []).find((c: { type: string }) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return {
        state: 'failed',
        message: `rollout exceeded its progress deadline: ${progressing.message ?? ''}`.trim(),
      };
    }
    const want = spec.replicas ?? 1;
    const updated = s.updatedReplicas ?? 0;
    const available = s.availableReplicas ?? 0;
    if (updated < want)
      return { state: 'progressing', message: `${updated} of ${want} new replicas have been updated` };
    if ((s.replicas ?? 0) > updated) {
      return { state: 'progressing', message: `${(s.replicas ?? 0) - updated} old replicas are pending termination` };
    }
    if (available < updated)
      return { state: 'progressing', message: `${available} of ${updated} updated replicas are available` };
    return { state: 'done', message: `deployment "${w.metadata?.name}" successfully rolled out` };
  }
  if (kind === 'statefulset') {
    const want = spec.replicas ?? 1;
    if ((s.readyReplicas ?? 0) < want)
      return { state: 'progressing', message: `${s.readyReplicas ?? 0} of ${want} pods are ready` };
    if (s.updateRevision && s.currentRevision !== s.updateRevision) {
      return {
        state: 'progressing',
        message: `${s.updatedReplicas ?? 0} of ${want} pods are at revision ${s.updateRevision}`,
      };
    }
    return {
      state: 'done',
      message: `statefulset rolling update complete ${want} pods at revision ${s.currentRevision ?? '?'}`,
    };
  }
  const desired = s.desiredNumberScheduled ?? 0;
  if ((s.updatedNumberScheduled ?? 0) < desired) {
    return {
      state: 'progressing',
      message: `${s.updatedNumberScheduled ?? 0} of ${desired} updated pods are scheduled`,
    };
  }
  if ((s.numberAvailable ?? 0) < desired) {
    return { state: 'progressing', message: `${s.numberAvailable ?? 0} of ${desired} updated pods are available` };
  }
  return { state: 'done', message: `daemon set "${w.metadata?.name}" successfully rolled out` };
}

export const rolloutStatusTool = defineTool({
  name: 'rollout_status',
  title: 'Rollout status',
  description: 'Whether a deployment, statefulset or daemonset has finished rolling out, is progressing, or failed.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const w = await readWorkload(c, args.kind, args.namespace, args.name);
    const r = rolloutState(args.kind, w);
    const s = w.status ?? {};
    const data = {
      ...r,
      kind: args.kind,
      name: args.name,
      namespace: args.namespace,
      replicas: w.spec?.replicas,
      updated: s.updatedReplicas ?? s.updatedNumberScheduled,
      ready: s.readyReplicas ?? s.numberReady,
      available: s.availableReplicas ?? s.numberAvailable,
    };
    return { status: 'ok', data, text: `${r.state}: ${r.message}` };
  },
});
