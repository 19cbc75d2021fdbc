import { z } from 'zod';
import { newRelease } from '../images.js';
import { as, isOwnedBy, type Pod } from '../objects.js';
import type { Scenario } from './types.js';
import { getDeployment, nextTag, patchTemplate, pickContainer, WorkloadTarget } from './workload.js';

const Target = WorkloadTarget.extend({
  /** Transient: the running pods wedge (restart heals); otherwise a new release crashes on start (rollback heals). */
  transient: z.boolean().default(false),
});

export const crashloop: Scenario<typeof Target> = {
  name: 'crashloop',
  summary: 'Containers exit with code 1 on start and back off (CrashLoopBackOff), with a stack trace in the logs.',
  fix: 'rollback to the previous revision (kubectl rollout undo); for a transient crash loop, rollout restart',
  target: Target,
  inject(ctx, t) {
    if (t.transient) {
      const d = getDeployment(ctx, t);
      const rss = ctx.store.list('ReplicaSet', t.namespace).filter((rs) => isOwnedBy(rs, d));
      const pods = ctx.store
        .list('Pod', t.namespace)
        .filter((p) => rss.some((rs) => isOwnedBy(p, rs)))
        .map((p) => as<Pod>(p));
      for (const p of pods) ctx.faults.crashingPods.add(p.metadata.uid ?? '');
      return `${pods.length} running pod(s) of ${t.namespace}/${t.deployment} lost their database connections and crash on every start`;
    }
    const d = getDeployment(ctx, t);
    const c = pickContainer(d.spec.template.spec, t.container);
    const image = nextTag(c.image);
    const base = ctx.images.profile(c.image);
    const app = t.deployment;
    ctx.images.register(image, {
      ...newRelease(base, c.image, image, true),
      // It panics during initialisation, before its health endpoint ever answers.
      readyAfterMs: Number.POSITIVE_INFINITY,
      crash: {
        afterMs: 2500,
        exitCode: 1,
        logs: (l) => [
          `{"level":"info","ts":"${l.at(2400)}","msg":"loading pricing rules","path":"/etc/${app}/pricing.yaml"}`,
          'panic: runtime error: invalid memory address or nil pointer dereference',
          '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8c5a2f]',
          '',
          'goroutine 1 [running]:',
          'main.(*PricingEngine).Load(0x0, {0xc0001a4000, 0x1b})',
          '\t/src/internal/pricing/engine.go:142 +0x2f',
          'main.run(0xc000118000)',
          `\t/src/cmd/${app}/main.go:87 +0x3a5`,
          'main.main()',
          `\t/src/cmd/${app}/main.go:41 +0x25`,
          `{"level":"fatal","ts":"${l.at(2500)}","msg":"${app} exited after panic","exit_code":1}`,
        ],
      },
    });
    patchTemplate(ctx, t, `kubectl set image deployment/${app} ${c.name}=${image}`, (x) => {
      x.image = image;
    });
    return `deployment ${t.namespace}/${app} rolled out ${image}, which panics on start`;
  },
};
