import { z } from 'zod';
import { CodedError } from '../../../shared/errors.js';
import type { Container, Deployment, PodSpec } from '../objects.js';
import { as } from '../objects.js';
import type { WorldContext } from '../world-context.js';

export const WorkloadTarget = z.object({
  namespace: z.string().min(1).default('shop'),
  deployment: z.string().min(1).default('checkout'),
  /** Which container of the pod template; the first one by default. */
  container: z.string().optional(),
});
export type WorkloadTarget = z.infer<typeof WorkloadTarget>;

export function getDeployment(ctx: WorldContext, t: { namespace: string; deployment: string }): Deployment {
  const d = ctx.store.get('Deployment', t.namespace, t.deployment);
  if (!d) throw new CodedError('not_found', `deployment ${t.namespace}/${t.deployment} not found`);
  return as<Deployment>(d);
}

export function pickContainer(spec: PodSpec, name: string | undefined): Container {
  const c = name ? spec.containers.find((x) => x.name === name) : spec.containers[0];
  if (!c) throw new CodedError('not_found', `container ${name ?? '(first)'} not found in the pod template`);
  return c;
}

/**
 * Changes a deployment's pod template as a person would with kubectl (`set image`, `set resources`, `edit`):
 * the deployment controller then rolls out a new revision carrying the fault.
 */
export function patchTemplate(
  ctx: WorldContext,
  t: WorkloadTarget,
  changeCause: string,
  fn: (c: Container, spec: PodSpec) => void,
): Deployment {
  getDeployment(ctx, t);
  const out = ctx.modify('Deployment', t.namespace, t.deployment, (o) => {
    const spec = (o.spec as unknown as Deployment['spec']).template.spec;
    fn(pickContainer(spec, t.container), spec);
    o.metadata.annotations = { ...o.metadata.annotations, 'kubernetes.io/change-cause': changeCause };
  });
  return as<Deployment>(out ?? getDeployment(ctx, t));
}

/** The next patch version of an image ("…:2.3.0" → "…:2.3.1"); other tags get a "-1" suffix. */
export function nextTag(image: string): string {
  const m = /^(.*:)(\d+)\.(\d+)\.(\d+)$/.exec(image);
  if (m) return `${m[1]}${m[2]}.${m[3]}.${Number(m[4]) + 1}`;
  return image.includes(':') && !image.endsWith(':latest') ? `${image}-1` : `${image.replace(/:latest$/, '')}:v2`;
}
