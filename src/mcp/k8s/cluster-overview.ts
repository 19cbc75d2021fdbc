/**
 * `cluster_overview`: the first look at a cluster — each node (ready, schedulable, pressure conditions,
 * version, allocatable, pod count) and each namespace (pods by health, workloads not fully available) — so an
 * investigation knows where to look before it lists anything.
 */
import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { podStatus, table } from './summarize.js';
import { cluster } from './validate.js';

const input = z.strictObject({ cluster });
const HEALTHY = new Set(['Running', 'Completed', 'Succeeded']);

export const clusterOverviewTool = defineTool({
  name: 'cluster_overview',
  title: 'Cluster overview',
  description:
    'Nodes (ready, cordoned, pressure, version, allocatable, pods) and namespaces (pods, unhealthy pods, ' +
    'deployments not fully available): where to look first.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const [nodes, namespaces, pods, deployments] = await Promise.all([
      kube(c.name, 'GET /api/v1/nodes', () => c.core.listNode()),
      kube(c.name, 'GET /api/v1/namespaces', () => c.core.listNamespace()),
      kube(c.name, 'GET /api/v1/pods', () => c.core.listPodForAllNamespaces()),
      kube(c.name, 'GET /apis/apps/v1/deployments', () => c.apps.listDeploymentForAllNamespaces()),
    ]);
    const nodeRows = nodes.items.map((n) => {
      const conds = n.status?.conditions ?? [];
      const ready = conds.find((x) => x.type === 'Ready')?.status ?? 'Unknown';
      const pressure = conds.filter((x) => x.type !== 'Ready' && x.status === 'True').map((x) => x.type);
      return {
        name: n.metadata?.name,
        ready,
        schedulable: n.spec?.unschedulable ? 'no (cordoned)' : 'yes',
        pressure: pressure.join(',') || '-',
        version: n.status?.nodeInfo?.kubeletVersion,
        cpu: n.status?.allocatable?.cpu,
        memory: n.status?.allocatable?.memory,
        pods: pods.items.filter((p) => p.spec?.nodeName === n.metadata?.name).length,
      };
    });
    const nsRows = namespaces.items.map((ns) => {
      const name = ns.metadata?.name ?? '';
      const mine = pods.items.filter((p) => p.metadata?.namespace === name);
      const unhealthy = mine.filter((p) => {
        const s = podStatus(p);
        return !HEALTHY.has(s.status) || (s.status === 'Running' && s.ready.split('/')[0] !== s.ready.split('/')[1]);
      });
      const degraded = deployments.items.filter(
        (d) => d.metadata?.namespace === name && (d.status?.availableReplicas ?? 0) < (d.spec?.replicas ?? 0),
      );
      return {
        namespace: name,
        phase: ns.status?.phase,
        pods: mine.length,
        unhealthy: unhealthy.length,
        degradedDeployments: degraded.map((d) => d.metadata?.name).join(',') || '-',
      };
    });
    const notReady = nodeRows.filter((n) => n.ready !== 'True').length;
    const head = `cluster ${c.name}: ${nodeRows.length} node(s)${notReady ? `, ${notReady} not ready` : ''}, ${nsRows.length} namespace(s), ${pods.items.length} pod(s)`;
    return {
      status: 'ok',
      data: { cluster: c.name, nodes: nodeRows, namespaces: nsRows },
      text: [head, '', 'nodes:', table(nodeRows), '', 'namespaces:', table(nsRows)].join('\n'),
    };
  },
});
