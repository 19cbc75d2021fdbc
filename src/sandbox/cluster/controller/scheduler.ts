import { as, type Node, type Pod, parseBytes, parseCpu, podRequests, setCondition } from '../objects.js';
import type { WorldContext } from '../world-context.js';
import { isActive } from './replicaset.js';

type Toleration = NonNullable<Pod['spec']['tolerations']>[number];
type Taint = NonNullable<Node['spec']['taints']>[number];

function tolerates(tols: Toleration[], t: Taint): boolean {
  return tols.some(
    (x) =>
      (x.effect === undefined || x.effect === '' || x.effect === t.effect) &&
      (x.operator === 'Exists' ? x.key === undefined || x.key === t.key : x.key === t.key && x.value === t.value),
  );
}

/** Why a pod does not fit a node, in the scheduler's words (empty when it fits). */
function misfits(pod: Pod, node: Node, used: { cpu: number; memory: number; pods: number }): string[] {
  const out: string[] = [];
  if (node.spec.unschedulable) out.push('node(s) were unschedulable');
  const untolerated = (node.spec.taints ?? []).filter(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec.tolerations ?? [], t),
  );
  const first = untolerated.find((t) => t.effect === 'NoSchedule') ?? untolerated[0];
  if (first) out.push(`node(s) had untolerated taint {${first.key}: ${first.value ?? ''}}`);
  const labels = node.metadata.labels ?? {};
  if (Object.entries(pod.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v))
    out.push("node(s) didn't match Pod's node affinity/selector");
  const req = podRequests(pod.spec);
  const alloc = node.status.allocatable;
  if (used.cpu + req.cpu > parseCpu(alloc.cpu)) out.push('Insufficient cpu');
  if (used.memory + req.memory > parseBytes(alloc.memory)) out.push('Insufficient memory');
  if (used.pods + 1 > Number(alloc.pods ?? 110)) out.push('Too many pods');
  return out;
}

function summarize(n: number, reasons: Map<string, number>, preemption: Map<string, number>): string {
  const part = (m: Map<string, number>) =>
    [...m.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([r, c]) => `${c} ${r}`)
      .join(', ');
  return `0/${n} nodes are available: ${part(reasons)}. preemption: 0/${n} nodes are available: ${part(preemption)}.`;
}

/** The default scheduler: filters nodes (taints, nodeSelector, requests vs allocatable, PVCs) and binds. */
export class Scheduler {
  constructor(private readonly ctx: WorldContext) {}

  sync(): void {
    const ctx = this.ctx;
    const nodes = ctx.list('Node').map((n) => as<Node>(n));
    const pods = ctx.list('Pod').map((p) => as<Pod>(p));
    const used = new Map(nodes.map((n) => [n.metadata.name, { cpu: 0, memory: 0, pods: 0 }]));
    for (const p of pods) {
      const u = p.spec.nodeName ? used.get(p.spec.nodeName) : undefined;
      if (!u || !isActive(p)) continue;
      const r = podRequests(p.spec);
      u.cpu += r.cpu;
      u.memory += r.memory;
      u.pods++;
    }
    for (const pod of pods)
      this.ctx.guard(`scheduler ${pod.metadata.namespace}/${pod.metadata.name}`, () => {
        if (pod.spec.nodeName || !isActive(pod)) return;
        const claimErr = this.unboundClaim(pod);
        if (claimErr) {
          this.unschedulable(
            pod,
            `0/${nodes.length} nodes are available: ${claimErr}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`,
          );
          return;
        }
        const reasons = new Map<string, number>();
        const preemption = new Map<string, number>();
        const fits: Node[] = [];
        for (const n of nodes) {
          const u = used.get(n.metadata.name) ?? { cpu: 0, memory: 0, pods: 0 };
          const why = misfits(pod, n, u);
          if (why.length === 0) fits.push(n);
          for (const w of why) reasons.set(w, (reasons.get(w) ?? 0) + 1);
          const p = why.every((w) => w.startsWith('Insufficient'))
            ? 'No preemption victims found for incoming pod'
            : 'Preemption is not helpful for scheduling';
          if (why.length > 0) preemption.set(p, (preemption.get(p) ?? 0) + 1);
        }
        const best = fits.sort(
          (a, b) => load(a, used) - load(b, used) || a.metadata.name.localeCompare(b.metadata.name),
        )[0];
        if (!best) {
          this.unschedulable(
            pod,
            nodes.length === 0 ? 'no nodes available to schedule pods' : summarize(nodes.length, reasons, preemption),
          );
          return;
        }
        this.bind(pod, best);
        const u = used.get(best.metadata.name);
        const r = podRequests(pod.spec);
        if (u) {
          u.cpu += r.cpu;
          u.memory += r.memory;
          u.pods++;
        }
      });
  }

  private unboundClaim(pod: Pod): string | undefined {
    const ns = pod.metadata.namespace;
    for (const v of pod.spec.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const pvc = this.ctx.store.get('PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName);
      if (!pvc) return `persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" not found`;
      if ((pvc.status as { phase?: string } | undefined)?.phase !== 'Bound')
        return 'pod has unbound immediate PersistentVolumeClaims';
    }
    return undefined;
  }

  private unschedulable(pod: Pod, message: string): void {
    const ctx = this.ctx;
    const now = ctx.ts();
    const conditions = setCondition(
      pod.status?.conditions,
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null },
      now,
    );
    ctx.setStatus(pod, { ...pod.status, phase: 'Pending', conditions });
    ctx.event(pod, 'FailedScheduling', message, 'Warning', 60_000);
  }

  private bind(pod: Pod, node: Node): void {
    const ctx = this.ctx;
    const ns = pod.metadata.namespace;
    const bound = ctx.modify('Pod', ns, pod.metadata.name, (o) => {
      (o.spec as Record<string, unknown>).nodeName = node.metadata.name;
    });
    if (!bound) return;
    const b = as<Pod>(bound);
    const now = ctx.ts();
    const conditions = setCondition(
      b.status?.conditions,
      { type: 'PodScheduled', status: 'True', lastProbeTime: null },
      now,
    );
    ctx.setStatus(bound, { ...b.status, conditions });
    ctx.event(bound, 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${node.metadata.name}`);
  }
}

function load(n: Node, used: Map<string, { cpu: number; memory: number }>): number {
  const u = used.get(n.metadata.name) ?? { cpu: 0, memory: 0 };
  return u.cpu / (parseCpu(n.status.allocatable.cpu) || 1) + u.memory / (parseBytes(n.status.allocatable.memory) || 1);
}
