import { z } from 'zod';
import type { Scenario } from './types.js';
import { patchTemplate, WorkloadTarget } from './workload.js';

const Target = WorkloadTarget.extend({
  cause: z.enum(['nodeSelector', 'cpu', 'memory']).default('nodeSelector'),
});

export const unschedulable: Scenario<typeof Target> = {
  name: 'unschedulable',
  summary: 'New pods stay Pending: no node matches their nodeSelector, or none has the CPU/memory they request.',
  fix: 'roll back, or fix the nodeSelector / requests (or label a node to match)',
  target: Target,
  inject(ctx, t) {
    const app = t.deployment;
    switch (t.cause) {
      case 'nodeSelector':
        patchTemplate(ctx, t, `kubectl patch deployment ${app} (nodeSelector disktype=nvme)`, (_c, spec) => {
          spec.nodeSelector = { ...spec.nodeSelector, disktype: 'nvme' };
        });
        return `deployment ${t.namespace}/${app} now requires nodes labelled disktype=nvme (there are none)`;
      case 'cpu':
        patchTemplate(ctx, t, `kubectl set resources deployment ${app} --requests=cpu=8`, (c) => {
          c.resources = {
            ...c.resources,
            requests: { ...c.resources?.requests, cpu: '8' },
            limits: { ...c.resources?.limits, cpu: '8' },
          };
        });
        return `deployment ${t.namespace}/${app} now requests 8 CPUs per pod (nodes have 4)`;
      case 'memory':
        patchTemplate(ctx, t, `kubectl set resources deployment ${app} --requests=memory=64Gi`, (c) => {
          c.resources = {
            ...c.resources,
            requests: { ...c.resources?.requests, memory: '64Gi' },
            limits: { ...c.resources?.limits, memory: '64Gi' },
          };
        });
        return `deployment ${t.namespace}/${app} now requests 64Gi of memory per pod (nodes have 16Gi)`;
      default: {
        const never: never = t.cause;
        return never;
      }
    }
  },
};
