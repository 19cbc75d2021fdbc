import type { Scenario } from './types.js';
import { patchTemplate, WorkloadTarget } from './workload.js';

export const livenessFail: Scenario<typeof WorkloadTarget> = {
  name: 'liveness-fail',
  summary: 'The liveness probe points at a port nothing listens on: the kubelet kills and restarts the container.',
  fix: 'roll back, or fix the probe port',
  target: WorkloadTarget,
  inject(ctx, t) {
    let port = 0;
    patchTemplate(ctx, t, `kubectl patch deployment ${t.deployment} (livenessProbe port)`, (c) => {
      port = (c.ports?.[0]?.containerPort ?? 8080) + 1;
      c.livenessProbe = {
        initialDelaySeconds: 5,
        periodSeconds: 10,
        failureThreshold: 3,
        httpGet: { path: '/healthz', port, scheme: 'HTTP' },
      };
    });
    return `deployment ${t.namespace}/${t.deployment} now probes liveness on port ${port}, where nothing listens`;
  },
};
