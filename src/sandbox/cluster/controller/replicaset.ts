import { as, findCondition, isOwnedBy, obj, ownerRef, type Pod, qosClass, type ReplicaSet } from '../objects.js';
import { isK8sStatusError } from '../status.js';
import type { K8sObject } from '../store.js';
import type { WorldContext } from '../world-context.js';

export function isActive(p: Pod): boolean {
  return p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded' && !p.metadata.deletionTimestamp;
}

export function isReady(p: Pod): boolean {
  return findCondition(p.status?.conditions, 'Ready')?.status === 'True';
}

/** Deletion order of the replicaset controller: unscheduled, pending, not ready, most restarts, newest first. */
function deletionRank(p: Pod): number[] {
  const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
  return [
    p.spec.nodeName ? 1 : 0,
    p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2,
    isReady(p) ? 1 : 0,
    -restarts,
    -Date.parse(p.metadata.creationTimestamp ?? '0'),
  ];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** The replicaset controller: keeps `spec.replicas` active pods, named `<rs>-<5 chars>`, and reports status. */
export class ReplicaSetController {
  constructor(private readonly ctx: WorldContext) {}

  private pods(rs: K8sObject): Pod[] {
    return this.ctx
      .list('Pod', rs.metadata.namespace)
      .filter((p) => isOwnedBy(p, rs))
      .map((p) => as<Pod>(p));
  }

  manage(): void {
    for (const raw of this.ctx.list('ReplicaSet'))
      this.ctx.guard(`replicaset ${raw.metadata.namespace}/${raw.metadata.name}`, () => {
        const rs = as<ReplicaSet>(raw);
        const active = this.pods(raw).filter(isActive);
        const diff = rs.spec.replicas - active.length;
        for (let i = 0; i < diff; i++) this.createPod(rs);
        if (diff < 0) {
          const victims = [...active].sort((a, b) => compareRank(deletionRank(a), deletionRank(b))).slice(0, -diff);
          for (const p of victims) this.deletePod(rs, p);
        }
      });
  }

  private createPod(rs: ReplicaSet): void {
    const tpl = rs.spec.template;
    const spec = structuredClone(tpl.spec);
    spec.tolerations = [...(spec.tolerations ?? []), ...DEFAULT_TOLERATIONS];
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `${rs.metadata.name}-${this.ctx.rng.suffix()}`;
      try {
        const pod = this.ctx.store.create(
          obj({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name,
              generateName: `${rs.metadata.name}-`,
              namespace: rs.metadata.namespace,
              labels: { ...tpl.metadata?.labels },
              ...(tpl.metadata?.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
              ownerReferences: [ownerRef(rs)],
            },
            spec,
            status: { phase: 'Pending', qosClass: qosClass(spec) },
          }),
        );
        this.ctx.event(obj(rs), 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        return;
      } catch (err) {
        if (!isK8sStatusError(err) || err.status.code !== 409) throw err;
      }
    }
  }

  deletePod(owner: K8sObject | undefined, p: Pod): void {
    for (const c of p.status?.containerStatuses ?? [])
      if (c.state.running) this.ctx.event(obj(p), 'Killing', `Stopping container ${c.name}`);
    this.ctx.store.delete('Pod', p.metadata.namespace, p.metadata.name);
    if (owner) this.ctx.event(owner, 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
  }

  refreshStatus(): void {
    const now = this.ctx.now();
    for (const raw of this.ctx.list('ReplicaSet'))
      this.ctx.guard(`replicaset-status ${raw.metadata.namespace}/${raw.metadata.name}`, () => {
        const rs = as<ReplicaSet>(raw);
        const active = this.pods(raw).filter(isActive);
        const ready = active.filter(isReady);
        const minReady = (rs.spec.minReadySeconds ?? 0) * 1000;
        const available = ready.filter((p) => {
          const since = Date.parse(findCondition(p.status.conditions, 'Ready')?.lastTransitionTime ?? '0');
          return minReady === 0 || now - since >= minReady;
        });
        const labels = rs.spec.template.metadata?.labels ?? {};
        const fully = active.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v));
        this.ctx.setStatus(raw, {
          ...rs.status,
          replicas: active.length,
          fullyLabeledReplicas: fully.length,
          readyReplicas: ready.length,
          availableReplicas: available.length,
          observedGeneration: rs.metadata.generation,
        });
      });
  }
}
