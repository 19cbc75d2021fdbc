import { as, canonical, findCondition, type Node, obj, type Pod, setCondition } from '../objects.js';
import type { WorldContext } from '../world-context.js';
import { isActive } from './replicaset.js';

type Taint = NonNullable<Node['spec']['taints']>[number];

const MANAGED = [
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
];

const PRESSURE: Record<string, string> = {
  MemoryPressure: 'node.kubernetes.io/memory-pressure',
  DiskPressure: 'node.kubernetes.io/disk-pressure',
  PIDPressure: 'node.kubernetes.io/pid-pressure',
};

const EVICT_EVERY_MS = 60_000;
/** A kubelet re-posts unchanged node status this often (nodeStatusReportFrequency). */
const HEARTBEAT_MS = 5 * 60_000;

/**
 * Node lifecycle: taints follow the node's conditions (TaintNodesByCondition), pods on a node that is not
 * Ready lose readiness and are evicted once their NoExecute toleration (300s) runs out, and a kubelet under
 * disk pressure evicts pods. The conditions themselves are the state: clearing them heals the node.
 */
export class NodeController {
  private readonly lastReady = new Map<string, string>();

  constructor(private readonly ctx: WorldContext) {}

  sync(): void {
    for (const raw of this.ctx.list('Node'))
      this.ctx.guard(`node ${raw.metadata.name}`, () => {
        const node = as<Node>(raw);
        this.heartbeat(node);
        this.taints(node);
        this.readiness(node);
        if (findCondition(node.status.conditions, 'DiskPressure')?.status === 'True') this.evictForDisk(node);
      });
  }

  /** A running kubelet refreshes lastHeartbeatTime; a node whose kubelet is gone (Ready=Unknown) does not. */
  private heartbeat(node: Node): void {
    const ctx = this.ctx;
    const ready = findCondition(node.status.conditions, 'Ready');
    if (ready?.status === 'Unknown') return;
    const last = Date.parse(ready?.lastHeartbeatTime ?? '0');
    if (ctx.now() - last < HEARTBEAT_MS) return;
    const now = ctx.ts();
    const conditions = (node.status.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: now }));
    ctx.setStatus(obj(node), { ...node.status, conditions });
    node.status.conditions = conditions;
  }

  private taints(node: Node): void {
    const ctx = this.ctx;
    const conds = node.status.conditions ?? [];
    const ready = findCondition(conds, 'Ready')?.status ?? 'Unknown';
    const want: Taint[] = [];
    const keep = (node.spec.taints ?? []).filter((t) => !MANAGED.includes(t.key));
    const prev = (key: string, effect: string) =>
      (node.spec.taints ?? []).find((t) => t.key === key && t.effect === effect)?.timeAdded ?? ctx.ts();
    if (ready !== 'True') {
      const key = ready === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
      want.push({ key, effect: 'NoSchedule', timeAdded: prev(key, 'NoSchedule') });
      want.push({ key, effect: 'NoExecute', timeAdded: prev(key, 'NoExecute') });
    }
    for (const [type, key] of Object.entries(PRESSURE))
      if (findCondition(conds, type)?.status === 'True')
        want.push({ key, effect: 'NoSchedule', timeAdded: prev(key, 'NoSchedule') });
    if (node.spec.unschedulable)
      want.push({
        key: 'node.kubernetes.io/unschedulable',
        effect: 'NoSchedule',
        timeAdded: prev('node.kubernetes.io/unschedulable', 'NoSchedule'),
      });
    const next = [...keep, ...want];
    if (canonical(next) === canonical(node.spec.taints ?? [])) return;
    ctx.modify('Node', undefined, node.metadata.name, (o) => {
      const spec = (o.spec ?? {}) as Record<string, unknown>;
      if (next.length > 0) spec.taints = next;
      else delete spec.taints;
      o.spec = spec;
    });
  }

  private podsOn(node: Node): Pod[] {
    return this.ctx
      .list('Pod')
      .filter((p) => p.spec?.nodeName === node.metadata.name)
      .map((p) => as<Pod>(p))
      .filter(isActive);
  }

  private readiness(node: Node): void {
    const ctx = this.ctx;
    const name = node.metadata.name;
    const ready = findCondition(node.status.conditions, 'Ready')?.status ?? 'Unknown';
    const before = this.lastReady.get(name);
    this.lastReady.set(name, ready);
    if (before !== undefined && before !== ready)
      ctx.event(
        obj(node),
        ready === 'True' ? 'NodeReady' : 'NodeNotReady',
        `Node ${name} status is now: ${ready === 'True' ? 'NodeReady' : 'NodeNotReady'}`,
        ready === 'True' ? 'Normal' : 'Warning',
      );
    if (ready === 'True') return;
    const key = ready === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
    const since = Date.parse(
      (node.spec.taints ?? []).find((t) => t.key === key && t.effect === 'NoExecute')?.timeAdded ?? ctx.ts(),
    );
    for (const pod of this.podsOn(node)) {
      const now = ctx.ts();
      if (before !== ready) ctx.event(obj(pod), 'NodeNotReady', 'Node is not ready', 'Warning');
      const conditions = setCondition(
        pod.status?.conditions,
        { type: 'Ready', status: 'False', lastProbeTime: null },
        now,
      );
      const containerStatuses = (pod.status?.containerStatuses ?? []).map((c) => ({ ...c, ready: false }));
      ctx.setStatus(obj(pod), { ...pod.status, conditions, containerStatuses });
      const tol = (pod.spec.tolerations ?? []).find((t) => t.key === key && t.effect === 'NoExecute') as
        | { tolerationSeconds?: number }
        | undefined;
      if (tol && tol.tolerationSeconds === undefined) continue;
      const seconds = tol?.tolerationSeconds ?? 0;
      if (ctx.now() - since >= seconds * 1000) {
        ctx.event(
          obj(pod),
          'TaintManagerEviction',
          `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
        );
        ctx.store.delete('Pod', pod.metadata.namespace, pod.metadata.name);
      }
    }
  }

  private evictForDisk(node: Node): void {
    const ctx = this.ctx;
    if (findCondition(node.status.conditions, 'Ready')?.status !== 'True') return;
    if (!ctx.due(`disk-evict|${node.metadata.name}`, EVICT_EVERY_MS)) return;
    const victim = this.podsOn(node)
      .filter((p) => p.metadata.namespace !== 'kube-system' && p.status?.phase === 'Running')
      .sort((a, b) => rank(a) - rank(b) || a.metadata.name.localeCompare(b.metadata.name))[0];
    ctx.event(obj(node), 'EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage', 'Warning');
    if (!victim) return;
    const c = victim.spec.containers[0]?.name ?? 'app';
    const message = `The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 1843256Ki. Container ${c} was using 9876543Ki, request is 0, has larger consumption of ephemeral-storage. `;
    const now = ctx.ts();
    let conditions = setCondition(
      victim.status.conditions,
      { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message, lastProbeTime: null },
      now,
    );
    conditions = setCondition(
      conditions,
      { type: 'Ready', status: 'False', reason: 'PodFailed', lastProbeTime: null },
      now,
    );
    conditions = setCondition(
      conditions,
      { type: 'ContainersReady', status: 'False', reason: 'PodFailed', lastProbeTime: null },
      now,
    );
    const containerStatuses = (victim.status.containerStatuses ?? []).map((cs) => ({
      ...cs,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 137,
          reason: 'ContainerStatusUnknown',
          message: 'The container could not be located when the pod was terminated',
          startedAt: cs.state.running?.startedAt,
          finishedAt: now,
        },
      },
    }));
    ctx.event(obj(victim), 'Evicted', message, 'Warning');
    ctx.event(obj(victim), 'Killing', `Stopping container ${c}`);
    ctx.setStatus(obj(victim), {
      ...victim.status,
      phase: 'Failed',
      reason: 'Evicted',
      message,
      conditions,
      containerStatuses,
    });
  }
}

/** BestEffort pods go first, then Burstable, then Guaranteed. */
function rank(p: Pod): number {
  return p.status?.qosClass === 'BestEffort' ? 0 : p.status?.qosClass === 'Burstable' ? 1 : 2;
}
