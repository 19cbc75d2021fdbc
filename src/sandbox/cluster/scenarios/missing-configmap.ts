import { z } from 'zod';
import type { Scenario } from './types.js';
import { patchTemplate, WorkloadTarget } from './workload.js';

const Target = WorkloadTarget.extend({
  configMap: z.string().optional(),
  /** env: envFrom → CreateContainerConfigError; volume: a mounted volume → ContainerCreating with FailedMount. */
  via: z.enum(['env', 'volume']).default('env'),
});

export const missingConfigMap: Scenario<typeof Target> = {
  name: 'missing-configmap',
  summary:
    'The pod template uses a ConfigMap that does not exist: CreateContainerConfigError (env) or ContainerCreating with FailedMount (volume).',
  fix: 'create the ConfigMap (kubectl create configmap …) or roll back',
  target: Target,
  inject(ctx, t) {
    const name = t.configMap ?? `${t.deployment}-feature-flags`;
    ctx.store.delete('ConfigMap', t.namespace, name);
    if (t.via === 'volume') {
      patchTemplate(
        ctx,
        t,
        `kubectl set volume deployment/${t.deployment} --add --configmap-name=${name}`,
        (c, spec) => {
          spec.volumes = [
            ...(spec.volumes ?? []).filter((v) => v.name !== 'flags'),
            { name: 'flags', configMap: { name } },
          ];
          const mounts = ((c as { volumeMounts?: { name: string }[] }).volumeMounts ?? []).filter(
            (m) => m.name !== 'flags',
          );
          (c as { volumeMounts?: unknown[] }).volumeMounts = [
            ...mounts,
            { name: 'flags', mountPath: '/etc/flags', readOnly: true },
          ];
        },
      );
      return `deployment ${t.namespace}/${t.deployment} now mounts ConfigMap ${name}, which does not exist`;
    }
    patchTemplate(ctx, t, `kubectl set env deployment/${t.deployment} --from=configmap/${name}`, (c) => {
      c.envFrom = [...(c.envFrom ?? []), { configMapRef: { name } }];
    });
    return `deployment ${t.namespace}/${t.deployment} now reads env from ConfigMap ${name}, which does not exist`;
  },
};
