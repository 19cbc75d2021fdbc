import { z } from 'zod';
import type { Scenario } from './types.js';
import { patchTemplate, WorkloadTarget } from './workload.js';

const Target = WorkloadTarget.extend({ configMap: z.string().optional() });

export const missingConfigMap: Scenario<typeof Target> = {
  name: 'missing-configmap',
  summary: 'The pod template takes env from a ConfigMap that does not exist: CreateContainerConfigError.',
  fix: 'create the ConfigMap (kubectl create configmap …) or roll back',
  target: Target,
  inject(ctx, t) {
    const name = t.configMap ?? `${t.deployment}-feature-flags`;
    ctx.store.delete('ConfigMap', t.namespace, name);
    patchTemplate(ctx, t, `kubectl set env deployment/${t.deployment} --from=configmap/${name}`, (c) => {
      c.envFrom = [...(c.envFrom ?? []), { configMapRef: { name } }];
    });
    return `deployment ${t.namespace}/${t.deployment} now reads env from ConfigMap ${name}, which does not exist`;
  },
};
