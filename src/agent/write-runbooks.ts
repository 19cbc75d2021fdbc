/**
 * A write tool the model called directly, mapped to the runbook that does the same thing through an approval.
 * A call with no runbook equivalent is refused and recorded; the model is told to propose a runbook instead.
 */
const s = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

export interface RunbookCall {
  runbookId: string;
  params: Record<string, string>;
}

export function runbookForWrite(tool: string, args: Record<string, unknown>): RunbookCall | undefined {
  const namespace = s(args.namespace);
  const name = s(args.name ?? args.deployment);
  const kind = s(args.kind) ?? 'deployment';
  const base = tool.split('.').pop();
  if (!namespace) return undefined;
  switch (base) {
    case 'deployment_rollback':
      if (!name) return undefined;
      return {
        runbookId: 'deployment-rollback',
        params: {
          namespace,
          deployment: name,
          ...(s(args.revision ?? args.toRevision)
            ? { to_revision: s(args.revision ?? args.toRevision) as string }
            : {}),
        },
      };
    case 'workload_restart':
      if (!name || !/^deploy/.test(kind)) return undefined;
      return { runbookId: 'deployment-rollout-restart', params: { namespace, deployment: name } };
    case 'workload_scale':
      if (!name || !/^deploy/.test(kind) || s(args.replicas) === undefined) return undefined;
      return {
        runbookId: 'deployment-scale',
        params: { namespace, deployment: name, replicas: s(args.replicas) as string },
      };
    case 'pod_delete': {
      const pod = s(args.name ?? args.pod);
      return pod ? { runbookId: 'pod-restart', params: { namespace, pod } } : undefined;
    }
    default:
      return undefined;
  }
}
