import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, dryRun, name, namespace, workloadKind } from './validate.js';
import { patchAndReport } from './write.js';

const input = z.strictObject({ kind: workloadKind.default('deployment'), name, namespace, dryRun, cluster });

export const workloadRestartTool = defineTool({
  name: 'workload_restart',
  title: 'Rollout restart',
  description: 'Restart a deployment, statefulset or daemonset by a rolling restart (kubectl rollout restart).',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const body = {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date(deps.now()).toISOString() } },
        },
      },
    };
    return patchAndReport(c, args, body, 'strategic', args.dryRun, 'restart');
  },
});
