import type { Scenario } from './types.js';
import { getDeployment, nextTag, patchTemplate, pickContainer, WorkloadTarget } from './workload.js';

export const imagePull: Scenario<typeof WorkloadTarget> = {
  name: 'image-pull',
  summary: 'The deployment points at an image tag that does not exist: ErrImagePull, then ImagePullBackOff.',
  fix: 'roll back, or set the image to a tag that exists',
  target: WorkloadTarget,
  inject(ctx, t) {
    const d = getDeployment(ctx, t);
    const c = pickContainer(d.spec.template.spec, t.container);
    const image = `${nextTag(c.image)}-rc.1`;
    ctx.images.markMissing(image);
    patchTemplate(ctx, t, `kubectl set image deployment/${t.deployment} ${c.name}=${image}`, (x) => {
      x.image = image;
    });
    return `deployment ${t.namespace}/${t.deployment} now runs ${image}, a tag the registry does not have`;
  },
};
