import {
  as,
  type Condition,
  canonical,
  type Deployment,
  findCondition,
  intOrPercent,
  isOwnedBy,
  obj,
  ownerRef,
  type PodTemplate,
  podTemplateHash,
  type ReplicaSet,
  setCondition,
} from '../objects.js';
import type { WorldContext } from '../world-context.js';

export const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';

/** The RS template without its pod-template-hash label: what `rollout undo` copies back into the deployment. */
export function templateOf(rs: ReplicaSet): PodTemplate {
  const t = structuredClone(rs.spec.template);
  if (t.metadata?.labels) {
    const { [HASH]: _hash, ...rest } = t.metadata.labels;
    t.metadata.labels = rest;
  }
  return t;
}

export function revisionOf(o: { metadata: { annotations?: Record<string, string> } }): number {
  return Number(o.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function limits(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec.strategy?.rollingUpdate;
  const surge = intOrPercent(ru?.maxSurge, d.spec.replicas, true, '25%');
  let unavailable = intOrPercent(ru?.maxUnavailable, d.spec.replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const byAge = (a: ReplicaSet, b: ReplicaSet) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  a.metadata.name.localeCompare(b.metadata.name);

/** The deployment controller: one ReplicaSet per template, rolling updates, revisions, status and conditions. */
export class DeploymentController {
  constructor(private readonly ctx: WorldContext) {}

  private owned(d: Deployment): ReplicaSet[] {
    return this.ctx
      .list('ReplicaSet', d.metadata.namespace)
      .filter((rs) => isOwnedBy(rs, d))
      .map((rs) => as<ReplicaSet>(rs))
      .sort(byAge);
  }

  reconcile(): void {
    for (const raw of this.ctx.list('Deployment'))
      this.ctx.guard(`deployment ${raw.metadata.namespace}/${raw.metadata.name}`, () => {
        const d = as<Deployment>(raw);
        if (d.spec.paused) return;
        const newRS = this.ensureNewRS(d);
        if (!newRS) return;
        const all = this.owned(d);
        const fresh = all.find((r) => r.metadata.uid === newRS.metadata.uid) ?? newRS;
        const olds = all.filter((r) => r.metadata.uid !== newRS.metadata.uid);
        if (d.spec.strategy?.type === 'Recreate') this.recreate(d, fresh, olds);
        else this.rolling(d, fresh, olds);
        this.cleanup(d);
      });
  }

  private ensureNewRS(d: Deployment): ReplicaSet | undefined {
    const ctx = this.ctx;
    const ns = d.metadata.namespace;
    const all = this.owned(d);
    const want = canonical(d.spec.template);
    const maxRev = Math.max(0, ...all.map(revisionOf));
    let rs = all.find((r) => canonical(templateOf(r)) === want);
    let reason: string | undefined;
    if (!rs) {
      const hash = podTemplateHash(d.spec.template);
      const name = `${d.metadata.name}-${hash}`;
      const template = structuredClone(d.spec.template);
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH]: hash } };
      const changeCause = d.metadata.annotations?.['kubernetes.io/change-cause'];
      const created = ctx.store.create(
        obj({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name,
            namespace: ns,
            labels: { ...d.spec.template.metadata?.labels, [HASH]: hash },
            annotations: {
              'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
              'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + limits(d).surge),
              [REVISION]: String(maxRev + 1),
              ...(changeCause ? { 'kubernetes.io/change-cause': changeCause } : {}),
            },
            ownerReferences: [ownerRef(d)],
          },
          spec: {
            replicas: 0,
            minReadySeconds: d.spec.minReadySeconds ?? 0,
            selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [HASH]: hash } },
            template,
          },
        }),
      );
      rs = as<ReplicaSet>(created);
      reason = 'NewReplicaSetCreated';
    } else if (revisionOf(rs) < maxRev) {
      const changeCause = d.metadata.annotations?.['kubernetes.io/change-cause'];
      rs = as<ReplicaSet>(
        ctx.modify('ReplicaSet', ns, rs.metadata.name, (o) => {
          const a = o.metadata.annotations ?? {};
          const history = [a['deployment.kubernetes.io/revision-history'], a[REVISION]].filter(Boolean).join(',');
          a['deployment.kubernetes.io/revision-history'] = history;
          a[REVISION] = String(maxRev + 1);
          if (changeCause) a['kubernetes.io/change-cause'] = changeCause;
          o.metadata.annotations = a;
        }) ?? obj(rs),
      );
      reason = 'FoundNewReplicaSet';
    }
    const rev = String(revisionOf(rs));
    if (d.metadata.annotations?.[REVISION] !== rev)
      ctx.modify('Deployment', ns, d.metadata.name, (o) => {
        o.metadata.annotations = { ...o.metadata.annotations, [REVISION]: rev };
      });
    if (reason) {
      const message =
        reason === 'NewReplicaSetCreated'
          ? `Created new replica set "${rs.metadata.name}"`
          : `Found new replica set "${rs.metadata.name}"`;
      const cur = as<Deployment>(ctx.store.get('Deployment', ns, d.metadata.name) ?? obj(d));
      const now = ctx.ts();
      const conditions = setCondition(
        cur.status?.conditions,
        { type: 'Progressing', status: 'True', reason, message, lastUpdateTime: now },
        now,
      );
      ctx.setStatus(obj(cur), { ...cur.status, conditions });
    }
    return rs;
  }

  private scale(d: Deployment, rs: ReplicaSet, to: number): void {
    const from = rs.spec.replicas;
    if (from === to) return;
    this.ctx.modify('ReplicaSet', rs.metadata.namespace, rs.metadata.name, (o) => {
      (o.spec as Record<string, unknown>).replicas = to;
      o.metadata.annotations = {
        ...o.metadata.annotations,
        'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
        'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + limits(d).surge),
      };
    });
    rs.spec.replicas = to;
    const verb = to > from ? 'up' : 'down';
    this.ctx.event(obj(d), 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} to ${to} from ${from}`);
  }

  private recreate(d: Deployment, newRS: ReplicaSet, olds: ReplicaSet[]): void {
    for (const o of olds) this.scale(d, o, 0);
    const oldPods = olds.reduce((n, o) => n + (o.status?.replicas ?? 0), 0);
    if (oldPods === 0) this.scale(d, newRS, d.spec.replicas);
  }

  private rolling(d: Deployment, newRS: ReplicaSet, olds: ReplicaSet[]): void {
    const want = d.spec.replicas;
    const active = olds.filter((o) => o.spec.replicas > 0);
    if (active.length === 0) {
      this.scale(d, newRS, want);
      return;
    }
    const { surge, unavailable } = limits(d);
    const count = () => newRS.spec.replicas + olds.reduce((n, o) => n + o.spec.replicas, 0);
    if (newRS.spec.replicas > want) this.scale(d, newRS, want);
    else if (newRS.spec.replicas < want && count() < want + surge)
      this.scale(d, newRS, newRS.spec.replicas + Math.min(want + surge - count(), want - newRS.spec.replicas));
    const minAvailable = want - unavailable;
    const newUnavailable = newRS.spec.replicas - (newRS.status?.availableReplicas ?? 0);
    let budget = count() - minAvailable - newUnavailable;
    if (budget <= 0) return;
    for (const o of active) {
      const unhealthy = o.spec.replicas - (o.status?.availableReplicas ?? 0);
      if (unhealthy <= 0 || budget <= 0) continue;
      const n = Math.min(unhealthy, budget);
      this.scale(d, o, o.spec.replicas - n);
      budget -= n;
    }
    const available = [newRS, ...olds].reduce(
      (n, r) => n + Math.min(r.status?.availableReplicas ?? 0, r.spec.replicas),
      0,
    );
    let down = Math.min(available - minAvailable, count() - want);
    for (const o of active) {
      if (down <= 0) break;
      const n = Math.min(o.spec.replicas, down);
      if (n <= 0) continue;
      this.scale(d, o, o.spec.replicas - n);
      down -= n;
    }
  }

  /** Keeps at most revisionHistoryLimit old, scaled-down ReplicaSets. */
  private cleanup(d: Deployment): void {
    const keep = d.spec.revisionHistoryLimit ?? 10;
    const want = canonical(d.spec.template);
    const old = this.owned(d).filter(
      (r) => canonical(templateOf(r)) !== want && r.spec.replicas === 0 && (r.status?.replicas ?? 0) === 0,
    );
    const extra = old.sort((a, b) => revisionOf(a) - revisionOf(b)).slice(0, Math.max(0, old.length - keep));
    for (const r of extra) this.ctx.store.delete('ReplicaSet', r.metadata.namespace, r.metadata.name);
  }

  /** Status from the ReplicaSets, and the Available/Progressing conditions (incl. ProgressDeadlineExceeded). */
  refreshStatus(): void {
    const ctx = this.ctx;
    for (const raw of ctx.list('Deployment'))
      this.ctx.guard(`deployment-status ${raw.metadata.namespace}/${raw.metadata.name}`, () => {
        const d = as<Deployment>(raw);
        const all = this.owned(d);
        const want = canonical(d.spec.template);
        const newRS = all.find((r) => canonical(templateOf(r)) === want);
        const sum = (f: (r: ReplicaSet) => number) => all.reduce((n, r) => n + f(r), 0);
        const old = d.status ?? {};
        const replicas = sum((r) => r.status?.replicas ?? 0);
        const updatedReplicas = newRS?.status?.replicas ?? 0;
        const readyReplicas = sum((r) => r.status?.readyReplicas ?? 0);
        const availableReplicas = sum((r) => r.status?.availableReplicas ?? 0);
        const unavailableReplicas = Math.max(0, sum((r) => r.spec.replicas) - availableReplicas);
        const now = ctx.ts();
        let conditions = old.conditions ?? [];
        const minAvailable = d.spec.replicas - limits(d).unavailable;
        conditions = setCondition(
          conditions,
          availableReplicas >= minAvailable
            ? {
                type: 'Available',
                status: 'True',
                reason: 'MinimumReplicasAvailable',
                message: 'Deployment has minimum availability.',
                lastUpdateTime: now,
              }
            : {
                type: 'Available',
                status: 'False',
                reason: 'MinimumReplicasUnavailable',
                message: 'Deployment does not have minimum availability.',
                lastUpdateTime: now,
              },
          now,
        );
        const prevAvail = findCondition(old.conditions, 'Available');
        const avail = findCondition(conditions, 'Available');
        if (avail && prevAvail?.status === avail.status && prevAvail.reason === avail.reason)
          avail.lastUpdateTime = prevAvail.lastUpdateTime ?? now;
        const next = { replicas, updatedReplicas, readyReplicas, availableReplicas };
        conditions = this.progressing(d, newRS?.metadata.name, next, conditions, now);
        const status = {
          ...old,
          observedGeneration: d.metadata.generation,
          replicas,
          updatedReplicas,
          readyReplicas,
          availableReplicas,
          unavailableReplicas,
          conditions: conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0)),
        };
        ctx.setStatus(obj(d), status);
      });
  }

  private progressing(
    d: Deployment,
    rsName: string | undefined,
    next: { replicas: number; updatedReplicas: number; readyReplicas: number; availableReplicas: number },
    conditions: Condition[],
    now: string,
  ): Condition[] {
    const cur = findCondition(conditions, 'Progressing');
    const old = d.status ?? {};
    const want = d.spec.replicas;
    if (d.spec.paused) {
      return setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'Unknown',
          reason: 'DeploymentPaused',
          message: 'Deployment is paused',
          lastUpdateTime: now,
        },
        now,
      );
    }
    const complete = next.updatedReplicas === want && next.replicas === want && next.availableReplicas === want;
    const set = (status: 'True' | 'False', reason: string, message: string, touch: boolean) => {
      const same = cur?.status === status && cur.reason === reason;
      return setCondition(
        conditions,
        {
          type: 'Progressing',
          status,
          reason,
          message,
          lastUpdateTime: same && !touch ? (cur?.lastUpdateTime ?? now) : now,
        },
        now,
      );
    };
    if (complete && rsName)
      return set('True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, false);
    const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const newOld = next.replicas - next.updatedReplicas;
    const moved =
      next.updatedReplicas > (old.updatedReplicas ?? 0) ||
      newOld < oldOld ||
      next.readyReplicas > (old.readyReplicas ?? 0) ||
      next.availableReplicas > (old.availableReplicas ?? 0);
    if (moved && rsName) return set('True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, true);
    const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    const since = Date.parse(cur?.lastUpdateTime ?? now);
    if (
      cur &&
      cur.reason !== 'NewReplicaSetAvailable' &&
      cur.reason !== 'ProgressDeadlineExceeded' &&
      this.ctx.now() - since > deadline
    )
      return set(
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rsName ?? d.metadata.name}" has timed out progressing.`,
        true,
      );
    return conditions;
  }
}
