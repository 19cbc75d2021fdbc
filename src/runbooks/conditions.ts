/**
 * Resource conditions, observed once through the cluster reader: whether a rollout is complete, pods are ready,
 * restarts stopped (for `stable_for`), endpoints have ready addresses, a node is (un)schedulable, a job
 * completed, a pod failed, an object exists or is gone. Each observation is `pass`, `fail` (the cluster
 * answered and the condition does not hold, with what was seen) or `cannot_verify` (the cluster could not be
 * asked). `restarts_stopped` keeps what it saw between observations in the memo it is given.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterReader, ReadKind } from '../ports/cluster.js';
import type { ResourceCondition } from './resources.js';

export type Observation = { result: 'pass' | 'fail' | 'cannot_verify'; detail: string };

export interface ConditionTarget {
  cluster: string;
  kind: ReadKind;
  namespace: string | undefined;
  name: string;
}

export interface RestartMemo {
  counts?: Map<string, number>;
  stableSince?: number;
}

type Obj = {
  metadata?: { generation?: number; deletionTimestamp?: unknown; labels?: Record<string, string>; name?: string };
  // biome-ignore lint/suspicious/noExplicitAny: the fields read differ by kind; each use names them
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  status?: any;
};

const pass = (detail: string): Observation => ({ result: 'pass', detail });
const fail = (detail: string): Observation => ({ result: 'fail', detail });

export async function observe(
  reader: ClusterReader,
  condition: ResourceCondition,
  ref: ConditionTarget,
  opts: { now: number; stableForMs: number; memo: RestartMemo },
): Promise<Observation> {
  const what = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  try {
    const obj = (await reader.get(ref.cluster, ref.kind, ref.namespace, ref.name)) as Obj | undefined;
    if (condition === 'absent') return obj ? fail(`${what} still exists`) : pass(`${what} is gone`);
    if (!obj) return fail(`${what} not found`);
    switch (condition) {
      case 'exists':
        return pass(`${what} exists`);
      case 'rollout_complete':
        return rollout(ref.kind, obj, what);
      case 'pods_ready':
        return podsReady(await podsOf(reader, ref, obj), desired(ref.kind, obj), what);
      case 'restarts_stopped':
        return restarts(await podsOf(reader, ref, obj), what, opts);
      case 'endpoints_ready': {
        const ep = (await reader.get(ref.cluster, 'endpoints', ref.namespace, ref.name)) as Obj | undefined;
        const ready = (ep as { subsets?: { addresses?: unknown[] }[] } | undefined)?.subsets?.reduce(
          (n, s) => n + (s.addresses?.length ?? 0),
          0,
        );
        return ready ? pass(`${what} has ${ready} ready endpoint(s)`) : fail(`${what} has no ready endpoints`);
      }
      case 'node_schedulable':
        return obj.spec?.unschedulable ? fail(`${what} is cordoned`) : pass(`${what} is schedulable`);
      case 'node_unschedulable':
        return obj.spec?.unschedulable ? pass(`${what} is cordoned`) : fail(`${what} is schedulable`);
      case 'job_complete': {
        const c = (obj.status?.conditions ?? []) as { type: string; status: string }[];
        if (c.some((x) => x.type === 'Complete' && x.status === 'True')) return pass(`${what} completed`);
        if (c.some((x) => x.type === 'Failed' && x.status === 'True')) return fail(`${what} failed`);
        return fail(`${what} has not completed (${obj.status?.succeeded ?? 0} succeeded)`);
      }
      case 'pod_failed':
        return obj.status?.phase === 'Failed' ? pass(`${what} failed`) : fail(`${what} is ${obj.status?.phase}`);
      default: {
        const never: never = condition;
        return { result: 'cannot_verify', detail: `unknown condition ${String(never)}` };
      }
    }
  } catch (err) {
    return { result: 'cannot_verify', detail: `cannot read ${what}: ${(err as Error).message}` };
  }
}

function desired(kind: ReadKind, obj: Obj): number {
  if (kind === 'pod') return 1;
  if (kind === 'daemonset') return Number(obj.status?.desiredNumberScheduled ?? 0);
  return Number(obj.spec?.replicas ?? 1);
}

function rollout(kind: ReadKind, o: Obj, what: string): Observation {
  const s = o.status ?? {};
  const gen = o.metadata?.generation ?? 0;
  if ((s.observedGeneration ?? 0) < gen) return fail(`${what}: the controller has not seen generation ${gen} yet`);
  if (kind === 'daemonset') {
    const want = s.desiredNumberScheduled ?? 0;
    const ok = (s.updatedNumberScheduled ?? 0) >= want && (s.numberAvailable ?? 0) >= want;
    return ok
      ? pass(`${what}: ${want} updated and available`)
      : fail(`${what}: ${s.updatedNumberScheduled ?? 0}/${want} updated, ${s.numberAvailable ?? 0} available`);
  }
  const want = Number(o.spec?.replicas ?? 1);
  const updated = s.updatedReplicas ?? 0;
  const available = kind === 'statefulset' ? (s.readyReplicas ?? 0) : (s.availableReplicas ?? 0);
  const total = s.replicas ?? 0;
  if (kind === 'statefulset' && s.updateRevision && s.currentRevision !== s.updateRevision && updated < want) {
    return fail(`${what}: ${updated}/${want} on the new revision`);
  }
  if (updated >= want && available >= want && total <= want)
    return pass(`${what}: ${want}/${want} updated and available`);
  return fail(`${what}: ${updated}/${want} updated, ${available} available, ${total} in total`);
}

async function podsOf(reader: ClusterReader, ref: ConditionTarget, obj: Obj): Promise<V1Pod[]> {
  if (ref.kind === 'pod') return [obj as V1Pod];
  const sel = (obj.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const pods = await reader.list(ref.cluster, 'pod', ref.namespace);
  return pods.filter(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      Object.entries(sel).every(([k, v]) => p.metadata?.labels?.[k] === v) &&
      Object.keys(sel).length > 0,
  );
}

function isReady(p: V1Pod): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podsReady(pods: V1Pod[], want: number, what: string): Observation {
  const ready = pods.filter(isReady).length;
  const notReady = pods.filter((p) => !isReady(p)).map((p) => p.metadata?.name ?? '?');
  if (ready >= want && notReady.length === 0) return pass(`${what}: ${ready}/${want} pods ready`);
  return fail(
    `${what}: ${ready}/${want} pods ready${notReady.length ? ` (not ready: ${notReady.slice(0, 5).join(', ')})` : ''}`,
  );
}

function restarts(
  pods: V1Pod[],
  what: string,
  opts: { now: number; stableForMs: number; memo: RestartMemo },
): Observation {
  const { memo, now } = opts;
  const counts = new Map<string, number>();
  const crashing: string[] = [];
  for (const p of pods) {
    const statuses = p.status?.containerStatuses ?? [];
    counts.set(
      p.metadata?.name ?? '?',
      statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    );
    if (statuses.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff' || c.state?.terminated))
      crashing.push(p.metadata?.name ?? '?');
  }
  const increased = [...counts].some(([name, n]) => n > (memo.counts?.get(name) ?? n));
  if (memo.counts === undefined || increased || crashing.length > 0) memo.stableSince = now;
  memo.counts = counts;
  if (crashing.length > 0) return fail(`${what}: still crashing (${crashing.slice(0, 5).join(', ')})`);
  const stable = now - (memo.stableSince ?? now);
  if (stable >= opts.stableForMs) return pass(`${what}: no restart for ${Math.round(stable / 1000)}s`);
  return fail(`${what}: no restart for ${Math.round(stable / 1000)}s of ${Math.round(opts.stableForMs / 1000)}s`);
}
