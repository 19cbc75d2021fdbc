import { z } from 'zod';
import { obj } from '../objects.js';
import type { Scenario } from './types.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  ingress: z.string().min(1).default('storefront'),
  /** The Service the Ingress routes to, which does not exist. */
  service: z.string().min(1).default('storefront'),
  /** Also name a TLS Secret that does not exist. */
  tls: z.boolean().default(false),
});

export const ingressBackendMissing: Scenario<typeof Target> = {
  name: 'ingress-backend-missing',
  summary: 'An Ingress routes to a Service that does not exist (and, with tls, names a missing TLS Secret): 503.',
  fix: 'point the Ingress backend at an existing Service (kubectl edit ingress), or create the Service',
  target: Target,
  inject(ctx, t) {
    ctx.store.delete('Service', t.namespace, t.service);
    ctx.store.delete('Ingress', t.namespace, t.ingress);
    ctx.store.create(
      obj({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: t.ingress, namespace: t.namespace },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: `${t.ingress}.example.com`,
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name: t.service, port: { number: 80 } } } },
                ],
              },
            },
          ],
          ...(t.tls ? { tls: [{ hosts: [`${t.ingress}.example.com`], secretName: `${t.ingress}-tls` }] } : {}),
        },
      }),
    );
    return `ingress ${t.namespace}/${t.ingress} routes to service ${t.service}, which does not exist`;
  },
};
