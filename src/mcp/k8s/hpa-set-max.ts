/**
 * `hpa_set_max`: set a HorizontalPodAutoscaler's `spec.maxReplicas` (autoscaling/v2). Refused below its
 * `minReplicas`; lowering it under the current replica count is allowed and said (the HPA will scale down).
 */
import { z } from 'zod';
import { defineTool, type ToolOutcome } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { diff, renderChanges } from './diff.js';
import { cluster, dryRun, name, namespace } from './validate.js';
import { patchContentType } from './workloads.js';

const input = z.strictObject({
  name,
  namespace,
  maxReplicas: z.number().int().min(1).max(1000).describe('the new maximum; not below the HPA’s minReplicas'),
  dryRun,
  cluster,
});

export const hpaSetMaxTool = defineTool({
  name: 'hpa_set_max',
  title: "Set an HPA's maximum replicas",
  description: "Change a HorizontalPodAutoscaler's maxReplicas (refused below its minReplicas).",
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps): Promise<ToolOutcome> {
    const c = pick(deps, args.cluster);
    const path = `/apis/autoscaling/v2/namespaces/${args.namespace}/horizontalpodautoscalers/${args.name}`;
    const hpa = await kube(c.name, `GET ${path}`, () =>
      c.autoscaling.readNamespacedHorizontalPodAutoscaler({ name: args.name, namespace: args.namespace }),
    );
    const min = hpa.spec?.minReplicas ?? 1;
    if (args.maxReplicas < min) {
      return {
        status: 'error',
        reason: 'request',
        message: `HPA ${args.namespace}/${args.name}: maxReplicas ${args.maxReplicas} is below its minReplicas ${min}; nothing was changed`,
      };
    }
    const after = await kube(c.name, `PATCH ${path}${args.dryRun ? '?dryRun=All' : ''} (merge patch)`, () =>
      c.autoscaling.patchNamespacedHorizontalPodAutoscaler(
        {
          name: args.name,
          namespace: args.namespace,
          body: { spec: { maxReplicas: args.maxReplicas } },
          dryRun: args.dryRun ? 'All' : undefined,
          fieldManager: 'sre-nanobot',
        },
        patchContentType('merge'),
      ),
    );
    const changes = diff({ maxReplicas: hpa.spec?.maxReplicas }, { maxReplicas: after.spec?.maxReplicas }, 'spec');
    const current = hpa.status?.currentReplicas ?? 0;
    const note =
      args.maxReplicas < current ? `\nit runs ${current} replicas now and will scale down to ${args.maxReplicas}` : '';
    const target = hpa.spec?.scaleTargetRef;
    return {
      status: 'ok',
      data: {
        action: 'set_max',
        dryRun: args.dryRun,
        cluster: c.name,
        namespace: args.namespace,
        name: args.name,
        minReplicas: min,
        currentReplicas: current,
        target: target ? `${target.kind}/${target.name}` : null,
        changes,
      },
      text: renderChanges(`HPA ${args.namespace}/${args.name} (cluster ${c.name})`, changes, args.dryRun) + note,
    };
  },
});
