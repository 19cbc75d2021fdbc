import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { kindArg } from './kind-arg.js';
import { KIND_OPS, requestPath } from './kinds.js';
import { row, table } from './summarize.js';
import { cluster, fieldSelector, labelSelector, namespace } from './validate.js';

const input = z.strictObject({
  kind: kindArg,
  namespace: namespace.optional().describe('namespace; all namespaces when omitted'),
  labelSelector,
  fieldSelector,
  limit: z.number().int().min(1).max(500).default(100),
  cluster,
});

export const resourcesListTool = defineTool({
  name: 'resources_list',
  title: 'List resources',
  description:
    'List objects of a common kind (pods, deployments, services, nodes, events, …) with their status columns. ' +
    'Secrets are listed by name and type only.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const ops = KIND_OPS[args.kind];
    const ns = ops.namespaced ? args.namespace : undefined;
    const list = await kube(c.name, requestPath(args.kind, ns), () =>
      ops.list(c, ns, { labelSelector: args.labelSelector, fieldSelector: args.fieldSelector, limit: args.limit }),
    );
    const rows = list.items.map((o) => row(args.kind, o, deps.now()));
    if (rows.length === 0) {
      const where = ns ? `namespace ${ns}` : ops.namespaced ? 'all namespaces' : 'the cluster';
      const sel = [args.labelSelector, args.fieldSelector].filter(Boolean).join(', ');
      return {
        status: 'no_data',
        searched: `${args.kind}s${sel ? ` matching ${sel}` : ''} in ${where} (cluster ${c.name})`,
      };
    }
    return { status: 'ok', data: { kind: args.kind, cluster: c.name, items: rows }, text: table(rows) };
  },
});
