/**
 * What the approval card shows of a write: the server-side dry run the ToolHost made when it asked for the
 * approval (the fields that change), and what it affects — the pods that will restart (a change under the pod
 * template replaces every pod of the workload; a pod deletion, that pod) and the replicas before and after.
 */
import type { ClusterReader, ReadKind } from '../ports/cluster.js';
import type { Change, Preview } from './plan.js';

const WORKLOADS: readonly string[] = ['deployment', 'statefulset', 'daemonset'];

export async function previewOf(
  dryRun: unknown,
  call: { args: Record<string, unknown>; tool: string },
  reader: ClusterReader | undefined,
  cluster: string | null,
): Promise<Preview> {
  const err = dryRun as { kind?: string; message?: string } | undefined;
  if (!dryRun || typeof dryRun !== 'object' || err?.kind === 'error' || err?.kind === 'denied') {
    return {
      ok: false,
      text: err?.message ?? 'the tool gave no dry run',
      changes: [],
      pods: [],
      replicas: null,
    };
  }
  const d = dryRun as { changes?: Change[]; kind?: string; name?: string; namespace?: string; action?: string };
  const changes = Array.isArray(d.changes) ? d.changes : [];
  const text = changes.map((c) => `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('\n');
  const kind = typeof d.kind === 'string' ? d.kind : typeof call.args.kind === 'string' ? call.args.kind : undefined;
  const name = typeof call.args.name === 'string' ? call.args.name : d.name;
  const namespace = typeof call.args.namespace === 'string' ? call.args.namespace : d.namespace;
  let pods: string[] = [];
  let replicas: Preview['replicas'] = null;
  const workload = kind ?? (call.tool.endsWith('deployment_rollback') ? 'deployment' : undefined);
  if (call.tool.endsWith('pod_delete') && name) pods = [name];
  else if (workload && WORKLOADS.includes(workload) && name && namespace && reader) {
    try {
      const obj = (await reader.get(cluster ?? reader.defaultCluster, workload as ReadKind, namespace, name)) as
        | { spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } } }
        | undefined;
      const before = obj?.spec?.replicas;
      const scaled = changes.find((c) => c.path === 'spec.replicas');
      if (typeof before === 'number') replicas = { before, after: scaled ? Number(scaled.to) : before };
      if (changes.some((c) => c.path.startsWith('spec.template'))) {
        const sel = obj?.spec?.selector?.matchLabels ?? {};
        const all = await reader.list(cluster ?? reader.defaultCluster, 'pod', namespace);
        pods = all
          .filter(
            (p) => Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => p.metadata?.labels?.[k] === v),
          )
          .map((p) => p.metadata?.name ?? '?');
      }
    } catch {
      // the preview stays without pods and replicas; the change itself is still shown
    }
  }
  return { ok: true, text: text || 'no change', changes, pods, replicas };
}
