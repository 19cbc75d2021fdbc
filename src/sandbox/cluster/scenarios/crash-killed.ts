import { newRelease } from '../images.js';
import type { Scenario } from './types.js';
import { getDeployment, nextTag, patchTemplate, pickContainer, WorkloadTarget } from './workload.js';

/** A symptom without a recorded cause: the process is killed (exit 137) with no OOMKill and no probe failure. */
export const crashKilled: Scenario<typeof WorkloadTarget> = {
  name: 'crash-killed',
  summary:
    'A new release is killed with exit code 137 shortly after start, with no OOMKill and no probe failure recorded (e.g. a watchdog sending SIGKILL).',
  fix: 'roll back to the previous revision (kubectl rollout undo)',
  target: WorkloadTarget,
  inject(ctx, t) {
    const d = getDeployment(ctx, t);
    const c = pickContainer(d.spec.template.spec, t.container);
    const image = nextTag(c.image);
    ctx.images.register(image, {
      ...newRelease(ctx.images.profile(c.image), c.image, image, true),
      readyAfterMs: Number.POSITIVE_INFINITY,
      crash: {
        afterMs: 3000,
        exitCode: 137,
        logs: (l) => [`{"level":"info","ts":"${l.at(2900)}","msg":"warming caches"}`],
      },
    });
    patchTemplate(ctx, t, `kubectl set image deployment/${t.deployment} ${c.name}=${image}`, (x) => {
      x.image = image;
    });
    return `deployment ${t.namespace}/${t.deployment} rolled out ${image}, whose process is killed (exit 137) soon after start`;
  },
};
