import { healthy, NodeTarget, setNodeConditions } from './node-conditions.js';
import type { Scenario } from './types.js';

export const nodeDiskPressure: Scenario<typeof NodeTarget> = {
  name: 'node-diskpressure',
  summary: 'A node runs low on disk: DiskPressure=True, a NoSchedule taint, and the kubelet evicts pods.',
  fix: 'free disk space on the node (the kubelet then clears DiskPressure)',
  target: NodeTarget,
  inject(ctx, t) {
    setNodeConditions(ctx, t.node, [
      { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' },
    ]);
    return `node ${t.node} is under disk pressure`;
  },
  recover(ctx, t) {
    setNodeConditions(ctx, t.node, [healthy('DiskPressure')]);
    return `disk space reclaimed on ${t.node}; DiskPressure cleared`;
  },
};
