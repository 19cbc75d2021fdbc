import { z } from 'zod';
import { obj } from '../objects.js';
import type { Scenario } from './types.js';
import { patchTemplate } from './workload.js';

const Target = z.object({
  namespace: z.string().min(1).default('payments'),
  /** When given, the deployment mounts the claim, so its new pods stay Pending too. */
  deployment: z.string().optional(),
  claim: z.string().optional(),
  storageClass: z.string().default('fast-ssd'),
  container: z.string().optional(),
});

export const pvcPending: Scenario<typeof Target> = {
  name: 'pvc-pending',
  summary: 'A PersistentVolumeClaim names a StorageClass that does not exist: it stays Pending (ProvisioningFailed).',
  fix: 'create the StorageClass (or recreate the claim with an existing class)',
  target: Target,
  inject(ctx, t) {
    const claim = t.claim ?? `${t.deployment ?? 'data'}-data`;
    ctx.store.delete('StorageClass', undefined, t.storageClass);
    if (!ctx.store.get('PersistentVolumeClaim', t.namespace, claim))
      ctx.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: claim, namespace: t.namespace, labels: t.deployment ? { app: t.deployment } : {} },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: t.storageClass,
            resources: { requests: { storage: '10Gi' } },
          },
        }),
      );
    if (t.deployment) {
      patchTemplate(
        ctx,
        { namespace: t.namespace, deployment: t.deployment, container: t.container },
        `kubectl set volume deployment/${t.deployment} --add --claim-name=${claim}`,
        (c, spec) => {
          spec.volumes = [
            ...(spec.volumes ?? []).filter((v) => v.name !== 'data'),
            { name: 'data', persistentVolumeClaim: { claimName: claim } },
          ];
          const mounts = ((c as { volumeMounts?: { name: string; mountPath: string }[] }).volumeMounts ?? []).filter(
            (m) => m.name !== 'data',
          );
          (c as { volumeMounts?: unknown[] }).volumeMounts = [...mounts, { name: 'data', mountPath: '/var/lib/data' }];
        },
      );
    }
    return `claim ${t.namespace}/${claim} asks for StorageClass ${t.storageClass}, which does not exist${t.deployment ? `; deployment ${t.deployment} mounts it` : ''}`;
  },
};
