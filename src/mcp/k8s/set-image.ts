import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, dryRun, image, label, name, namespace, workloadKind } from './validate.js';
import { readWorkload } from './workloads.js';
import { patchAndReport } from './write.js';

const input = z.strictObject({
  kind: workloadKind.default('deployment'),
  name,
  namespace,
  container: label.describe('container name'),
  image,
  dryRun,
  cluster,
});

export const setImageTool = defineTool({
  name: 'set_image',
  title: 'Set image',
  description: 'Set the image of one container of a deployment, statefulset or daemonset (starts a rollout).',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const w = await readWorkload(c, args.kind, args.namespace, args.name);
    const names: string[] = (w.spec?.template?.spec?.containers ?? []).map((x: { name: string }) => x.name);
    if (!names.includes(args.container)) {
      return {
        status: 'error',
        message: `${args.kind} ${args.name} has no container ${args.container}; containers: ${names.join(', ')}`,
      };
    }
    const body = { spec: { template: { spec: { containers: [{ name: args.container, image: args.image }] } } } };
    return patchAndReport(c, args, body, 'strategic', args.dryRun, 'set_image');
  },
});
