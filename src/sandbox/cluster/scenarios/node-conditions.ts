import { z } from 'zod';
import { CodedError } from '../../../shared/errors.js';
import { as, type Condition, type Node, setCondition } from '../objects.js';
import type { WorldContext } from '../world-context.js';

export const NodeTarget = z.object({ node: z.string().min(1).default('node-2') });

/** The conditions a healthy kubelet reports. */
export const HEALTHY: Condition[] = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
  },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** Rewrites some of a node's conditions, as the kubelet (or the node controller) reports them. */
export function setNodeConditions(ctx: WorldContext, name: string, next: Condition[]): void {
  const cur = ctx.store.get('Node', undefined, name);
  if (!cur) throw new CodedError('not_found', `node ${name} not found`);
  const node = as<Node>(cur);
  const now = ctx.ts();
  let conditions = node.status.conditions ?? [];
  for (const c of next) conditions = setCondition(conditions, { ...c, lastHeartbeatTime: now }, now);
  ctx.store.updateStatus('Node', undefined, name, { ...node.status, conditions });
}

export function healthy(type: string): Condition {
  const c = HEALTHY.find((x) => x.type === type);
  if (!c) throw new Error(`no healthy condition ${type}`);
  return c;
}
