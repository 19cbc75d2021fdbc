import { z } from 'zod';
import { obj } from '../objects.js';
import type { Scenario } from './types.js';

const Target = z.object({
  namespace: z.string().min(1).default('payments'),
  statefulset: z.string().min(1).default('ledger'),
  /** Also ask for a StorageClass that does not exist in the claim template. */
  storageClass: z.string().optional(),
});

export const statefulsetMissingService: Scenario<typeof Target> = {
  name: 'statefulset-missing-service',
  summary:
    'A StatefulSet names a governing (headless) Service that does not exist, and optionally a StorageClass that does not either.',
  fix: 'create the headless Service (clusterIP: None) named by spec.serviceName',
  target: Target,
  inject(ctx, t) {
    const service = `${t.statefulset}-headless`;
    ctx.store.delete('Service', t.namespace, service);
    ctx.store.delete('StatefulSet', t.namespace, t.statefulset);
    if (t.storageClass) ctx.store.delete('StorageClass', undefined, t.storageClass);
    const labels = { app: t.statefulset };
    ctx.store.create(
      obj({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: t.statefulset, namespace: t.namespace, labels },
        spec: {
          replicas: 1,
          serviceName: service,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: t.statefulset, image: 'registry.local/payments/ledger:1.0.0' }] },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                storageClassName: t.storageClass ?? 'standard',
                resources: { requests: { storage: '1Gi' } },
              },
            },
          ],
        },
        status: { replicas: 0, readyReplicas: 0 },
      }),
    );
    return `statefulset ${t.namespace}/${t.statefulset} names service ${service}, which does not exist`;
  },
};
