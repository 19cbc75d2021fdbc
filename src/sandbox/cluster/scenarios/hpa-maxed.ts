import { z } from 'zod';
import { newRelease } from '../images.js';
import type { Scenario } from './types.js';
import { getDeployment, nextTag, patchTemplate, pickContainer } from './workload.js';

const Target = z.object({
  namespace: z.string().min(1).default('shop'),
  deployment: z.string().min(1).default('frontend'),
  container: z.string().optional(),
});

export const hpaMaxed: Scenario<typeof Target> = {
  name: 'hpa-maxed',
  summary:
    'Load rises beyond what maxReplicas allows: the HPA is held at its maximum (ScalingLimited, TooManyReplicas).',
  fix: 'roll back the release; raise the HPA maxReplicas while the nodes have room for more pods',
  target: Target,
  inject(ctx, t) {
    const d = getDeployment(ctx, t);
    const c = pickContainer(d.spec.template.spec, t.container);
    const image = nextTag(c.image);
    // Every pod now burns two cores against its request: far above the 70% target at any replica count.
    ctx.images.register(image, { ...newRelease(ctx.images.profile(c.image), c.image, image), cpuCores: 2 });
    patchTemplate(ctx, t, `kubectl set image deployment/${t.deployment} ${c.name}=${image}`, (x) => {
      x.image = image;
    });
    return `deployment ${t.namespace}/${t.deployment} now serves traffic that needs far more replicas than its HPA allows`;
  },
};
