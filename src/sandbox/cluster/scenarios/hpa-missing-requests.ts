import { z } from 'zod';
import type { Scenario } from './types.js';
import { patchTemplate } from './workload.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  deployment: z.string().min(1).default('frontend'),
  container: z.string().optional(),
});

export const hpaMissingRequests: Scenario<typeof Target> = {
  name: 'hpa-missing-requests',
  summary:
    'The deployment an HPA scales on CPU utilization loses its CPU requests: the HPA cannot compute utilization (FailedGetResourceMetric).',
  fix: 'set CPU requests on the containers again (kubectl set resources … --requests=cpu=100m)',
  target: Target,
  inject(ctx, t) {
    patchTemplate(ctx, t, `kubectl set resources deployment ${t.deployment} --requests=cpu=0`, (c) => {
      const requests = { ...c.resources?.requests };
      delete requests.cpu;
      c.resources = { ...c.resources, requests };
    });
    return `deployment ${t.namespace}/${t.deployment} no longer requests CPU; its HPA scales on CPU utilization`;
  },
};
