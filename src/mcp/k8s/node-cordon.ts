import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { diff, renderChanges } from './diff.js';
import { cluster, dryRun, name } from './validate.js';
import { patchContentType } from './workloads.js';

const input = z.strictObject({ name, dryRun, cluster });

async function setUnschedulable(args: z.infer<typeof input>, deps: KubeDeps, unschedulable: boolean) {
  const c = pick(deps, args.cluster);
  const path = `/api/v1/nodes/${args.name}`;
  const before = await kube(c.name, `GET ${path}`, () => c.core.readNode({ name: args.name }));
  const after = await kube(c.name, `PATCH ${path}${args.dryRun ? '?dryRun=All' : ''} (merge patch)`, () =>
    c.core.patchNode(
      {
        name: args.name,
        body: { spec: { unschedulable } },
        dryRun: args.dryRun ? 'All' : undefined,
        fieldManager: 'sre-nanobot',
      },
      patchContentType('merge'),
    ),
  );
  const changes = diff(
    { unschedulable: before.spec?.unschedulable ?? false },
    { unschedulable: after.spec?.unschedulable ?? false },
    'spec',
  );
  return {
    status: 'ok' as const,
    data: { action: unschedulable ? 'cordon' : 'uncordon', dryRun: args.dryRun, name: args.name, changes },
    text: renderChanges(`node ${args.name} (cluster ${c.name})`, changes, args.dryRun),
  };
}

export const nodeCordonTool = defineTool({
  name: 'node_cordon',
  title: 'Cordon a node',
  description: 'Mark a node unschedulable: no new pods are placed on it (running pods stay).',
  input,
  safetyClass: 'destructive',
  namespaceArg: null,
  dryRun: true,
  idempotent: true,
  run: (args, deps: KubeDeps) => setUnschedulable(args, deps, true),
});

export const nodeUncordonTool = defineTool({
  name: 'node_uncordon',
  title: 'Uncordon a node',
  description: 'Mark a node schedulable again.',
  input,
  safetyClass: 'write',
  namespaceArg: null,
  dryRun: true,
  idempotent: true,
  run: (args, deps: KubeDeps) => setUnschedulable(args, deps, false),
});
