import { z } from 'zod';
import { defineTool, UpstreamError } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { table } from './summarize.js';
import { cluster, labelSelector, namespace } from './validate.js';

const input = z.strictObject({
  target: z.enum(['pods', 'nodes']).default('pods'),
  namespace: namespace.optional().describe('for pods: namespace; all namespaces when omitted'),
  labelSelector,
  cluster,
});

interface Usage {
  metadata: { name: string; namespace?: string };
  usage?: { cpu?: string; memory?: string };
  containers?: { name: string; usage: { cpu?: string; memory?: string } }[];
}

export const topTool = defineTool({
  name: 'top',
  title: 'Resource usage (top)',
  description: 'Current CPU and memory usage of pods or nodes from the metrics API (metrics-server), when installed.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const group = 'metrics.k8s.io';
    const version = 'v1beta1';
    const path = `/apis/${group}/${version}${args.target === 'pods' && args.namespace ? `/namespaces/${args.namespace}` : ''}/${args.target}`;
    let list: { items?: Usage[] };
    try {
      list = (await kube(c.name, `GET ${path}`, () =>
        args.target === 'pods' && args.namespace
          ? c.custom.listNamespacedCustomObject({
              group,
              version,
              namespace: args.namespace,
              plural: 'pods',
              labelSelector: args.labelSelector,
            })
          : c.custom.listClusterCustomObject({
              group,
              version,
              plural: args.target,
              labelSelector: args.labelSelector,
            }),
      )) as { items?: Usage[] };
    } catch (err) {
      if (err instanceof UpstreamError && (err.upstream.status === 404 || err.upstream.status === 503)) {
        return {
          status: 'no_data',
          searched: `${path}: the metrics API is not available in cluster ${c.name} (is metrics-server installed?)`,
        };
      }
      throw err;
    }
    const rows = (list.items ?? []).map((i) => {
      const sum = (k: 'cpu' | 'memory') =>
        i.containers ? i.containers.map((x) => x.usage[k]).join('+') : i.usage?.[k];
      return { name: i.metadata.name, namespace: i.metadata.namespace, cpu: sum('cpu'), memory: sum('memory') };
    });
    if (rows.length === 0) return { status: 'no_data', searched: `${path} (cluster ${c.name})` };
    return { status: 'ok', data: { items: rows }, text: table(rows) };
  },
});
