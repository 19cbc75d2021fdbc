import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, dryRun, name, namespace } from './validate.js';

const input = z.strictObject({
  name,
  namespace,
  gracePeriodSeconds: z.number().int().min(0).max(3600).optional(),
  dryRun,
  cluster,
});

export const podDeleteTool = defineTool({
  name: 'pod_delete',
  title: 'Delete a pod',
  description: 'Delete one pod (its controller, if any, creates a replacement).',
  input,
  safetyClass: 'destructive',
  namespaceArg: 'namespace',
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const path = `/api/v1/namespaces/${args.namespace}/pods/${args.name}`;
    const pod = await kube(c.name, `GET ${path}`, () =>
      c.core.readNamespacedPod({ name: args.name, namespace: args.namespace }),
    );
    await kube(c.name, `DELETE ${path}${args.dryRun ? '?dryRun=All' : ''}`, () =>
      c.core.deleteNamespacedPod({
        name: args.name,
        namespace: args.namespace,
        dryRun: args.dryRun ? 'All' : undefined,
        gracePeriodSeconds: args.gracePeriodSeconds,
      }),
    );
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
    const replaced = owner
      ? `; ${owner.kind} ${owner.name} will create a replacement`
      : '; it has no controller and will not come back';
    const verb = args.dryRun ? 'dry run — would delete' : 'deleted';
    return {
      status: 'ok',
      data: {
        action: 'delete',
        dryRun: args.dryRun,
        namespace: args.namespace,
        name: args.name,
        owner: owner ? `${owner.kind}/${owner.name}` : null,
        changes: [{ path: 'pod', from: args.name, to: null }],
      },
      text: `${verb} pod ${args.namespace}/${args.name} (cluster ${c.name})${replaced}`,
    };
  },
});
