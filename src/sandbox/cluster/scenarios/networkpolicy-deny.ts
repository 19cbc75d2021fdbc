import { z } from 'zod';
import { CodedError } from '../../../shared/errors.js';
import { obj } from '../objects.js';
import type { Scenario } from './types.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  service: z.string().min(1).default('checkout'),
  /**
   * Allow ingress only from pods with this label (`app=frontend-v2`, which no pod carries); without it the policy
   * has no ingress rule at all (deny all).
   */
  from: z
    .string()
    .regex(/^[a-z0-9./-]+=[a-z0-9.-]+$/)
    .optional(),
});

/** A NetworkPolicy that locks a Service's pods away from their callers. */
export const networkpolicyDeny: Scenario<typeof Target> = {
  name: 'networkpolicy-deny',
  summary: "A NetworkPolicy selects a Service's pods and allows no ingress (or only from pods no one has).",
  fix: 'delete the NetworkPolicy, or allow ingress from the callers (podSelector of the real clients)',
  target: Target,
  inject(ctx, t) {
    const svc = ctx.store.get('Service', t.namespace, t.service);
    if (!svc) throw new CodedError('not_found', `service ${t.namespace}/${t.service} not found`);
    const selector = { ...((svc.spec?.selector ?? {}) as Record<string, string>) };
    const [k, v] = (t.from ?? '').split('=');
    ctx.store.create(
      obj({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${t.service}-lockdown`, namespace: t.namespace },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          ...(t.from && k && v ? { ingress: [{ from: [{ podSelector: { matchLabels: { [k]: v } } }] }] } : {}),
        },
      }),
    );
    return t.from
      ? `NetworkPolicy ${t.namespace}/${t.service}-lockdown lets only pods labelled ${t.from} reach ${t.service}`
      : `NetworkPolicy ${t.namespace}/${t.service}-lockdown denies all ingress to the pods of ${t.service}`;
  },
};
