/**
 * `POST pods/<name>/eviction` (policy/v1 Eviction), as the apiserver's eviction REST handler answers it: the pod
 * is deleted only when every PodDisruptionBudget selecting it still holds afterwards; otherwise 429
 * TooManyRequests with the budget named in the causes (kubectl drain retries those). Budgets are computed from
 * the live pods — healthy means Ready and not terminating — so consecutive evictions see each other at once. A
 * pod that is not healthy may be evicted while the budget has its healthy pods (the default
 * `unhealthyPodEvictionPolicy: IfHealthyBudget`). `dryRun=All` (query or `deleteOptions`) checks and deletes
 * nothing.
 */
import { type ApiContext, type ApiReply, isDryRun, ok } from './context.js';
import { type Condition, findCondition, intOrPercent, type LabelSelector, matchesSelector } from './objects.js';
import { current } from './resources.js';
import { badRequest, failure, methodNotAllowed, statusSuccess } from './status.js';
import type { ClusterStore, K8sObject } from './store.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

export interface Budget {
  name: string;
  /** Pods the budget selects. */
  expected: number;
  healthy: number;
  /** Healthy pods the budget wants to keep. */
  desired: number;
}

function isHealthy(pod: K8sObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = rec(pod.status).conditions as Condition[] | undefined;
  return findCondition(conditions, 'Ready')?.status === 'True';
}

/** The budgets in the pod's namespace whose selector matches it, with their live counts. */
export function budgetsFor(store: ClusterStore, pod: K8sObject): Budget[] {
  const ns = pod.metadata.namespace;
  const pods = store.listShared('Pod', ns);
  return store
    .listShared('PodDisruptionBudget', ns)
    .filter((pdb) => {
      const sel = rec(pdb.spec).selector as LabelSelector | undefined;
      // An empty selector selects every pod of the namespace (policy/v1); a missing one selects none.
      return sel !== undefined && matchesSelector(pod.metadata.labels, sel);
    })
    .map((pdb) => {
      const spec = rec(pdb.spec) as {
        selector: LabelSelector;
        minAvailable?: number | string;
        maxUnavailable?: number | string;
      };
      const selected = pods.filter((p) => matchesSelector(p.metadata.labels, spec.selector));
      const expected = selected.length;
      const healthy = selected.filter(isHealthy).length;
      const desired =
        spec.maxUnavailable !== undefined
          ? expected - intOrPercent(spec.maxUnavailable, expected, true, '0')
          : intOrPercent(spec.minAvailable ?? 1, expected, true, '1');
      return { name: pdb.metadata.name, expected, healthy, desired };
    });
}

/** Whether evicting this pod keeps the budget: a healthy pod leaves one fewer healthy. */
export function budgetHolds(b: Budget, podHealthy: boolean): boolean {
  return (podHealthy ? b.healthy - 1 : b.healthy) >= b.desired;
}

export function evict(ctx: ApiContext): ApiReply {
  if (ctx.method !== 'POST') throw methodNotAllowed(`${ctx.method} is not supported on pods/eviction`);
  const body = rec(ctx.body);
  if (body.kind !== undefined && body.kind !== 'Eviction')
    throw badRequest(`the body of pods/eviction must be an Eviction, not ${String(body.kind)}`);
  const pod = current(ctx);
  const bodyName = rec(body.metadata).name;
  if (bodyName !== undefined && bodyName !== pod.metadata.name)
    throw badRequest('name in URL does not match name in Eviction object');
  const dryRun = isDryRun(ctx) || (rec(body.deleteOptions).dryRun as unknown[] | undefined)?.includes('All') === true;
  const phase = rec(pod.status).phase;
  // Finished pods are not protected by any budget.
  if (phase !== 'Succeeded' && phase !== 'Failed') {
    const healthy = isHealthy(pod);
    const broken = budgetsFor(ctx.store, pod).filter((b) => !budgetHolds(b, healthy));
    if (broken.length > 0)
      throw failure(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
        causes: broken.map((b) => ({
          reason: 'DisruptionBudget',
          message: `The disruption budget ${b.name} needs ${b.desired} healthy pods and has ${b.healthy} currently`,
          field: '',
        })),
      });
  }
  const gone = ctx.store.delete('Pod', pod.metadata.namespace, pod.metadata.name, { dryRun });
  const uid = gone?.metadata.uid;
  return ok(statusSuccess({ name: pod.metadata.name, group: '', kind: 'pods', ...(uid ? { uid } : {}) }), 201);
}
