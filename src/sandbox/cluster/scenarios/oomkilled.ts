import { newRelease } from '../images.js';
import { parseBytes } from '../objects.js';
import type { Scenario } from './types.js';
import { getDeployment, nextTag, patchTemplate, pickContainer, WorkloadTarget } from './workload.js';

const MI = 2 ** 20;

export const oomkilled: Scenario<typeof WorkloadTarget> = {
  name: 'oomkilled',
  summary: 'A new release needs more memory than its limit: containers are OOMKilled (exit code 137) and back off.',
  fix: 'raise the memory limit (kubectl set resources … --limits=memory=512Mi) or roll back',
  target: WorkloadTarget,
  inject(ctx, t) {
    const d = getDeployment(ctx, t);
    const c = pickContainer(d.spec.template.spec, t.container);
    const limit = parseBytes(c.resources?.limits?.memory) || 256 * MI;
    const image = nextTag(c.image);
    const need = Math.ceil((limit * 1.5) / MI) * MI;
    const base = ctx.images.profile(c.image);
    ctx.images.register(image, {
      ...newRelease(base, c.image, image, false),
      memoryBytes: need,
      warmupMs: 6000,
      oomLogs: (l) => [
        `{"level":"info","ts":"${l.at(1000)}","msg":"warming price cache","entries":250000,"rss_mb":${Math.round(need / MI / 3)}}`,
        `{"level":"info","ts":"${l.at(3000)}","msg":"warming price cache","entries":750000,"rss_mb":${Math.round((need * 2) / MI / 3)}}`,
        `{"level":"warn","ts":"${l.at(5000)}","msg":"memory usage close to limit","rss_mb":${Math.round(limit / MI) - 4},"limit_mb":${Math.round(limit / MI)}}`,
      ],
    });
    const limits = c.resources?.limits ?? {};
    patchTemplate(ctx, t, `kubectl set image deployment/${t.deployment} ${c.name}=${image}`, (x) => {
      x.image = image;
      x.resources = { ...x.resources, limits: { ...limits, memory: c.resources?.limits?.memory ?? '256Mi' } };
    });
    return `deployment ${t.namespace}/${t.deployment} rolled out ${image}, which needs ${need / MI}Mi of memory under a ${Math.round(limit / MI)}Mi limit`;
  },
};
