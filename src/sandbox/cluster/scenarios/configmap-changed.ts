import { z } from 'zod';
import { CodedError } from '../../../shared/errors.js';
import type { Scenario } from './types.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  configmap: z.string().min(1).default('frontend-config'),
  /** The key someone removes while editing. */
  key: z.string().min(1).default('CHECKOUT_URL'),
  /** The deployment restarted to pick the change up. */
  deployment: z.string().min(1).default('frontend'),
});

/**
 * Someone edits a ConfigMap (dropping a key a deployment takes through configMapKeyRef) and restarts the
 * deployment to pick the edit up: the new pods fail with CreateContainerConfigError. The rollout itself
 * changed nothing but the restart annotation, so rolling back would not help; putting the key back does.
 */
export const configmapChanged: Scenario<typeof Target> = {
  name: 'configmap-changed',
  summary: 'A ConfigMap edited (a key removed), then a rollout restart: new pods fail with CreateContainerConfigError.',
  fix: 'put the key back into the ConfigMap (kubectl edit configmap)',
  target: Target,
  inject(ctx, t) {
    const cm = ctx.store.get('ConfigMap', t.namespace, t.configmap);
    if (!cm) throw new CodedError('not_found', `configmap ${t.namespace}/${t.configmap} not found`);
    if (!ctx.store.get('Deployment', t.namespace, t.deployment))
      throw new CodedError('not_found', `deployment ${t.namespace}/${t.deployment} not found`);
    ctx.modify('ConfigMap', t.namespace, t.configmap, (o) => {
      const data = { ...((o.data as Record<string, string>) ?? {}) };
      delete data[t.key];
      o.data = data;
      // As the API server records a write: who (the field manager) and when.
      o.metadata.managedFields = [
        { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', time: ctx.ts(), fieldsType: 'FieldsV1' },
      ];
    });
    ctx.modify('Deployment', t.namespace, t.deployment, (o) => {
      const tpl = (o.spec as { template: { metadata?: { annotations?: Record<string, string> } } }).template;
      tpl.metadata = {
        ...tpl.metadata,
        annotations: { ...tpl.metadata?.annotations, 'kubectl.kubernetes.io/restartedAt': ctx.ts() },
      };
      o.metadata.annotations = {
        ...o.metadata.annotations,
        'kubernetes.io/change-cause': `kubectl rollout restart deployment/${t.deployment}`,
      };
    });
    return `configmap ${t.namespace}/${t.configmap} lost key ${t.key}; deployment ${t.deployment} restarted to pick it up`;
  },
};
