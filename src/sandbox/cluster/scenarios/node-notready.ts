import { HEALTHY, NodeTarget, setNodeConditions } from './node-conditions.js';
import type { Scenario } from './types.js';

export const nodeNotReady: Scenario<typeof NodeTarget> = {
  name: 'node-notready',
  summary:
    "A node's kubelet stops posting status: Ready=Unknown, taints, pods lose readiness and are evicted after 5m.",
  fix: 'bring the kubelet back (the node reports Ready again), or cordon and drain the node',
  target: NodeTarget,
  inject(ctx, t) {
    const message = 'Kubelet stopped posting node status.';
    setNodeConditions(
      ctx,
      t.node,
      HEALTHY.map((c) => ({ type: c.type, status: 'Unknown' as const, reason: 'NodeStatusUnknown', message })),
    );
    return `node ${t.node} stopped posting status (kubelet down)`;
  },
  recover(ctx, t) {
    setNodeConditions(ctx, t.node, HEALTHY);
    return `kubelet on ${t.node} restarted; the node reports Ready`;
  },
};
