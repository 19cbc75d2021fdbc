import { z } from 'zod';
import { obj } from '../objects.js';
import type { Scenario } from './types.js';
import { getDeployment } from './workload.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  deployment: z.string().min(1).default('checkout'),
});

/**
 * A PodDisruptionBudget whose minAvailable equals the deployment's replicas: every pod is healthy, yet
 * disruptionsAllowed is 0, so `kubectl drain` and cluster upgrades hang on these pods.
 */
export const pdbBlocking: Scenario<typeof Target> = {
  name: 'pdb-blocking',
  summary: 'A PodDisruptionBudget with minAvailable = replicas: disruptionsAllowed 0, node drains are refused.',
  fix: 'scale the deployment above minAvailable, or lower minAvailable / use maxUnavailable 1',
  target: Target,
  inject(ctx, t) {
    const d = getDeployment(ctx, t);
    const replicas = d.spec.replicas ?? 1;
    const labels = d.spec.selector.matchLabels ?? { app: t.deployment };
    ctx.store.create(
      obj({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: t.deployment, namespace: t.namespace },
        spec: { minAvailable: replicas, selector: { matchLabels: labels } },
      }),
    );
    // What the disruption controller would write: nothing may be disrupted.
    ctx.store.updateStatus('PodDisruptionBudget', t.namespace, t.deployment, {
      currentHealthy: replicas,
      desiredHealthy: replicas,
      expectedPods: replicas,
      disruptionsAllowed: 0,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: 'False',
          reason: 'InsufficientPods',
          message: '',
          lastTransitionTime: ctx.ts(),
        },
      ],
    });
    return `PodDisruptionBudget ${t.namespace}/${t.deployment} requires minAvailable ${replicas} of ${replicas} pods: no eviction is allowed`;
  },
};
