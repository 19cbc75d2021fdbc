/**
 * `resource_usage`: each running container's CPU and memory use (metrics.k8s.io, as `kubectl top`) set against
 * its requests and limits, with what that means called out — memory near the limit (an OOM kill is next), CPU
 * at the limit (throttled), no limits at all — sorted by how close to its memory limit each container is.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, UpstreamError } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { formatBytes, formatCores, parseQuantity } from './quantity.js';
import { table } from './summarize.js';
import { cluster, labelSelector, namespace } from './validate.js';

const input = z.strictObject({
  namespace: namespace.optional().describe('namespace; all namespaces when omitted'),
  labelSelector,
  limit: z.number().int().min(1).max(500).default(50).describe('containers shown, closest to their memory limit first'),
  cluster,
});

interface PodMetrics {
  metadata: { name: string; namespace: string };
  containers: { name: string; usage: { cpu?: string; memory?: string } }[];
}

const pct = (used: number, of: number | undefined) => (of && of > 0 ? Math.round((used / of) * 100) : undefined);

export function usageRow(pod: V1Pod | undefined, m: PodMetrics, container: PodMetrics['containers'][number]) {
  const spec = pod?.spec?.containers.find((c) => c.name === container.name);
  const cpu = parseQuantity(container.usage.cpu) ?? 0;
  const mem = parseQuantity(container.usage.memory) ?? 0;
  const req = spec?.resources?.requests ?? {};
  const lim = spec?.resources?.limits ?? {};
  const cpuLimit = parseQuantity(lim.cpu);
  const memLimit = parseQuantity(lim.memory);
  const memPct = pct(mem, memLimit);
  const cpuPct = pct(cpu, cpuLimit);
  const flags = [
    ...(memPct !== undefined && memPct >= 90 ? ['memory near limit (OOM kill next)'] : []),
    ...(cpuPct !== undefined && cpuPct >= 90 ? ['CPU at limit (throttled)'] : []),
    ...(memLimit === undefined && cpuLimit === undefined ? ['no limits'] : []),
    ...(req.cpu === undefined && req.memory === undefined ? ['no requests'] : []),
  ];
  const of = (v: string | undefined, fmt: (n: number) => string) => {
    const n = parseQuantity(v);
    return n === undefined ? '-' : fmt(n);
  };
  return {
    namespace: m.metadata.namespace,
    pod: m.metadata.name,
    container: container.name,
    cpu: formatCores(cpu),
    cpuRequest: of(req.cpu, formatCores),
    cpuLimit: of(lim.cpu, formatCores),
    cpuOfLimit: cpuPct === undefined ? '-' : `${cpuPct}%`,
    memory: formatBytes(mem),
    memoryRequest: of(req.memory, formatBytes),
    memoryLimit: of(lim.memory, formatBytes),
    memoryOfLimit: memPct === undefined ? '-' : `${memPct}%`,
    flags: flags.join('; ') || '-',
    _sort: memPct ?? -1,
  };
}

export const resourceUsageTool = defineTool({
  name: 'resource_usage',
  title: 'Container usage against requests and limits',
  description:
    'CPU and memory each running container uses now (metrics API) against its requests and limits, flagging ' +
    'memory near the limit (OOM next), CPU at the limit (throttling) and missing limits; closest to the memory ' +
    'limit first.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const ns = args.namespace;
    const path = `/apis/metrics.k8s.io/v1beta1${ns ? `/namespaces/${ns}` : ''}/pods`;
    let metrics: { items?: PodMetrics[] };
    try {
      metrics = (await kube(c.name, `GET ${path}`, () =>
        ns
          ? c.custom.listNamespacedCustomObject({
              group: 'metrics.k8s.io',
              version: 'v1beta1',
              namespace: ns,
              plural: 'pods',
              labelSelector: args.labelSelector,
            })
          : c.custom.listClusterCustomObject({
              group: 'metrics.k8s.io',
              version: 'v1beta1',
              plural: 'pods',
              labelSelector: args.labelSelector,
            }),
      )) as { items?: PodMetrics[] };
    } catch (err) {
      if (err instanceof UpstreamError && (err.upstream.status === 404 || err.upstream.status === 503))
        return {
          status: 'no_data',
          searched: `${path}: the metrics API is not available in cluster ${c.name} (is metrics-server installed?)`,
        };
      throw err;
    }
    const pods = await kube(c.name, `GET /api/v1${ns ? `/namespaces/${ns}` : ''}/pods`, () =>
      ns
        ? c.core.listNamespacedPod({ namespace: ns, labelSelector: args.labelSelector })
        : c.core.listPodForAllNamespaces({ labelSelector: args.labelSelector }),
    );
    const byKey = new Map(pods.items.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
    const rows = (metrics.items ?? [])
      .flatMap((m) =>
        m.containers.map((ct) => usageRow(byKey.get(`${m.metadata.namespace}/${m.metadata.name}`), m, ct)),
      )
      .sort((a, b) => b._sort - a._sort);
    if (rows.length === 0)
      return {
        status: 'no_data',
        searched: `${path}${args.labelSelector ? ` matching ${args.labelSelector}` : ''} (cluster ${c.name})`,
      };
    const shown = rows.slice(0, args.limit).map(({ _sort, ...r }) => r);
    const flagged = shown.filter((r) => r.flags.includes('OOM') || r.flags.includes('throttled'));
    const head = flagged.length
      ? `${flagged.length} container(s) at a limit: ${flagged.map((r) => `${r.namespace}/${r.pod}/${r.container}`).join(', ')}\n`
      : '';
    const more = rows.length > shown.length ? `\n… ${rows.length - shown.length} more (raise limit)` : '';
    return {
      status: 'ok',
      data: { cluster: c.name, items: shown, total: rows.length },
      text: head + table(shown) + more,
    };
  },
});
