import { z } from 'zod';
import type { Scenario } from './types.js';
import { patchTemplate, WorkloadTarget } from './workload.js';

const Target = WorkloadTarget.extend({ secret: z.string().optional(), key: z.string().default('password') });

export const missingSecret: Scenario<typeof Target> = {
  name: 'missing-secret',
  summary: 'The pod template takes a value from a Secret that does not exist: CreateContainerConfigError.',
  fix: 'create the Secret (kubectl create secret generic …) or roll back',
  target: Target,
  inject(ctx, t) {
    const name = t.secret ?? `${t.deployment}-db-credentials`;
    ctx.store.delete('Secret', t.namespace, name);
    patchTemplate(ctx, t, `kubectl set env deployment/${t.deployment} DB_PASSWORD from secret ${name}`, (c) => {
      c.env = [
        ...(c.env ?? []).filter((e) => e.name !== 'DB_PASSWORD'),
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name, key: t.key } } },
      ];
    });
    return `deployment ${t.namespace}/${t.deployment} now reads DB_PASSWORD from Secret ${name}, which does not exist`;
  },
};
