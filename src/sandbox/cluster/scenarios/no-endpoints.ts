import { z } from 'zod';
import { CodedError } from '../../../shared/errors.js';
import type { Scenario } from './types.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  service: z.string().min(1).default('checkout'),
});

export const noEndpoints: Scenario<typeof Target> = {
  name: 'no-endpoints',
  summary: "A Service's selector matches no pods: the Service has no endpoints.",
  fix: "fix the Service selector to match the pods' labels",
  target: Target,
  inject(ctx, t) {
    const svc = ctx.store.get('Service', t.namespace, t.service);
    if (!svc) throw new CodedError('not_found', `service ${t.namespace}/${t.service} not found`);
    const selector = { ...((svc.spec?.selector ?? {}) as Record<string, string>) };
    const key = Object.keys(selector)[0] ?? 'app';
    selector[key] = `${selector[key] ?? t.service}-v2`;
    ctx.modify('Service', t.namespace, t.service, (o) => {
      (o.spec as Record<string, unknown>).selector = selector;
    });
    return `service ${t.namespace}/${t.service} now selects ${key}=${selector[key]}, which no pod carries`;
  },
};
