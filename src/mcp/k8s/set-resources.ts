import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, dryRun, label, name, namespace, quantity, workloadKind } from './validate.js';
import { readWorkload } from './workloads.js';
import { patchAndReport } from './write.js';

const amounts = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });

const input = z.strictObject({
  kind: workloadKind.default('deployment'),
  name,
  namespace,
  container: label.describe('container name'),
  requests: amounts.optional(),
  limits: amounts.optional(),
  dryRun,
  cluster,
});

export const setResourcesTool = defineTool({
  name: 'set_resources',
  title: 'Set resources',
  description: 'Patch CPU/memory requests and limits of one container of a workload (starts a rollout).',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps) {
    if (!args.requests && !args.limits) return { status: 'error', message: 'give requests and/or limits' };
    const c = pick(deps, args.cluster);
    const w = await readWorkload(c, args.kind, args.namespace, args.name);
    const names: string[] = (w.spec?.template?.spec?.containers ?? []).map((x: { name: string }) => x.name);
    if (!names.includes(args.container)) {
      return {
        status: 'error',
        message: `${args.kind} ${args.name} has no container ${args.container}; containers: ${names.join(', ')}`,
      };
    }
    const resources: Record<string, unknown> = {};
    if (args.requests) resources.requests = args.requests;
    if (args.limits) resources.limits = args.limits;
    const body = { spec: { template: { spec: { containers: [{ name: args.container, resources }] } } } };
    return patchAndReport(c, args, body, 'strategic', args.dryRun, 'set_resources');
  },
});
