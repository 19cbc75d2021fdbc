import type { Scenario } from './types.js';
import { patchTemplate, WorkloadTarget } from './workload.js';

export const readinessFail: Scenario<typeof WorkloadTarget> = {
  name: 'readiness-fail',
  summary: 'The readiness probe points at a port nothing listens on: pods run but never become ready (Unhealthy).',
  fix: 'roll back, or fix the probe port',
  target: WorkloadTarget,
  inject(ctx, t) {
    let port = 0;
    patchTemplate(ctx, t, `kubectl patch deployment ${t.deployment} (readinessProbe port)`, (c) => {
      const declared = c.ports?.[0]?.containerPort ?? 8080;
      port = declared + 1;
      c.readinessProbe = {
        periodSeconds: 10,
        failureThreshold: 3,
        ...c.readinessProbe,
        httpGet: { path: c.readinessProbe?.httpGet?.path ?? '/healthz', port, scheme: 'HTTP' },
      };
    });
    return `deployment ${t.namespace}/${t.deployment} now probes readiness on port ${port}, where nothing listens`;
  },
};
