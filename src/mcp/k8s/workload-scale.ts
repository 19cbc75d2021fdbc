import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, dryRun, name, namespace } from './validate.js';
import { patchAndReport } from './write.js';

const input = z.strictObject({
  kind: z.enum(['deployment', 'statefulset']).default('deployment'),
  name,
  namespace,
  replicas: z.number().int().min(0).max(1000),
  dryRun,
  cluster,
});

export const workloadScaleTool = defineTool({
  name: 'workload_scale',
  title: 'Scale',
  description: 'Set the replica count of a deployment or statefulset.',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    return patchAndReport(c, args, { spec: { replicas: args.replicas } }, 'merge', args.dryRun, 'scale');
  },
});
