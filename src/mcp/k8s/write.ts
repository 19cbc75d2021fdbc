/** Shared path of workload writes: read, patch (or dry-run patch), and report what changed. */
import type { ToolOutcome } from '../tool.js';
import type { KubeClients } from './clusters.js';
import { type Change, diff, renderChanges } from './diff.js';
import { type PatchType, patchWorkload, readWorkload, type WorkloadKind } from './workloads.js';

export async function patchAndReport(
  c: KubeClients,
  target: { kind: WorkloadKind; namespace: string; name: string },
  body: unknown,
  type: PatchType,
  dryRun: boolean,
  action: string,
): Promise<ToolOutcome> {
  const before = await readWorkload(c, target.kind, target.namespace, target.name);
  const after = await patchWorkload(c, target.kind, target.namespace, target.name, body, type, dryRun);
  const changes: Change[] = [
    ...diff(before.spec, after.spec, 'spec'),
    ...diff(before.metadata?.annotations ?? {}, after.metadata?.annotations ?? {}, 'metadata.annotations'),
  ];
  const what = `${target.kind} ${target.namespace}/${target.name} (cluster ${c.name})`;
  return {
    status: 'ok',
    data: { action, dryRun, cluster: c.name, ...target, changes },
    text: renderChanges(what, changes, dryRun),
  };
}
