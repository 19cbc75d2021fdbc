/**
 * Which runbooks address a finding, with their parameters filled in. Ids are the runbook catalogue's
 * (`runbooks/*.yaml`). A rollback is offered only when the failure began after a rollout change; a restart
 * only when nothing changed (the failure lives in the running process).
 */
import type { ResourceRef } from '../shared/resource-ref.js';
import { formatBytes, parseQuantity } from './analyzer.js';
import type { EvidenceOf, PatternId, RunbookSuggestion } from './finding.js';

export interface RunbookInput {
  pattern: PatternId;
  resource: ResourceRef;
  facts: Record<string, string>;
  change: EvidenceOf<'change'> | undefined;
  /** Lines from the logs, to spot a lost database connection. */
  logLines: readonly string[];
}

const ns = (r: ResourceRef) => r.namespace ?? '';

function workload(r: ResourceRef): Record<string, string> {
  return { namespace: ns(r), [r.kind === 'statefulset' ? 'statefulset' : 'deployment']: r.name };
}

function rollback(r: ResourceRef, c: EvidenceOf<'change'> | undefined): RunbookSuggestion[] {
  if (r.kind !== 'deployment' || !c?.beforeFailure || c.previousRevision === undefined) return [];
  return [{ id: 'deployment-rollback', params: { ...workload(r), revision: String(c.previousRevision) } }];
}

function restart(r: ResourceRef, logLines: readonly string[]): RunbookSuggestion[] {
  if (r.kind === 'deployment' && r.namespace === 'kube-system' && r.name === 'coredns')
    return [{ id: 'coredns-restart', params: {} }];
  const db = logLines.some((l) => /\b(database|postgres|mysql|db)\b|connection (pool|slots)/i.test(l));
  const out: RunbookSuggestion[] = [];
  if (db) out.push({ id: 'database-connection-recovery', params: { namespace: ns(r), deployment: r.name } });
  if (r.kind === 'deployment' || r.kind === 'statefulset' || r.kind === 'daemonset')
    out.push({ id: 'deployment-rollout-restart', params: workload(r) });
  else if (r.kind === 'pod') out.push({ id: 'pod-restart', params: { namespace: ns(r), pod: r.name } });
  return out;
}

export function suggestRunbooks(x: RunbookInput): RunbookSuggestion[] {
  const { resource: r, change: c } = x;
  const back = rollback(r, c);
  switch (x.pattern) {
    case 'pod.crash_loop':
    case 'pod.liveness_failed':
    case 'pod.init_failed':
    case 'pod.container_error':
      return back.length > 0 ? back : restart(r, x.logLines);
    case 'pod.oom_killed': {
      const limit = parseQuantity(x.facts.memoryLimit);
      const raise: RunbookSuggestion = {
        id: 'raise-memory-limit',
        params: {
          ...workload(r),
          container: x.facts.container ?? '',
          memory: limit ? formatBytes(limit * 2) : '512Mi',
        },
      };
      return r.kind === 'deployment' || r.kind === 'statefulset' ? [raise, ...back] : back;
    }
    case 'pod.image_pull':
    case 'pod.missing_config_ref':
    case 'pod.mount_failed':
    case 'pod.readiness_failed':
    case 'pod.unschedulable':
    case 'deployment.progress_deadline':
      return back;
    case 'pod.evicted':
      return [{ id: 'delete-failed-pods', params: { namespace: ns(r) } }];
    case 'pod.terminated_error':
    case 'pod.scheduling_gated':
    case 'deployment.unavailable':
    case 'statefulset.unavailable':
    case 'statefulset.missing_service':
    case 'statefulset.missing_storage_class':
    case 'daemonset.unavailable':
    case 'daemonset.missing_pull_secret':
    case 'replicaset.create_failed':
    case 'service.not_ready_endpoints':
    case 'pvc.pending':
    case 'ingress.no_class':
    case 'ingress.missing_backend':
    case 'ingress.missing_tls_secret':
    case 'job.suspended':
    case 'cronjob.suspended':
    case 'cronjob.invalid_schedule':
    case 'hpa.missing_target':
    case 'hpa.missing_requests':
    case 'hpa.metrics_unavailable':
    case 'workload.inconclusive':
    case 'pdb.no_pods':
    case 'networkpolicy.deny_ingress':
    case 'networkpolicy.no_allowed_peers':
    case 'networkpolicy.no_pods':
      return [];
    case 'pdb.disruptions_blocked':
      // Only a budget that can never be met is fixed by more replicas; unhealthy pods are their own finding.
      return x.facts.deployment && x.facts.replicas
        ? [
            {
              id: 'deployment-scale',
              params: { namespace: ns(r), deployment: x.facts.deployment, replicas: x.facts.replicas },
            },
          ]
        : [];
    case 'service.no_endpoints':
      return [{ id: 'service-endpoints-check', params: { namespace: ns(r), service: r.name } }];
    case 'job.failed':
      return [{ id: 'job-rerun', params: { namespace: ns(r), job: r.name } }];
    case 'node.not_ready':
    case 'node.pressure':
      return [{ id: 'node-cordon-drain', params: { node: r.name } }];
    case 'hpa.scaling_limited':
      return [
        {
          id: 'hpa-raise-max',
          params: { namespace: ns(r), hpa: r.name, max: String(Number(x.facts.max ?? 0) * 2 || 10) },
        },
      ];
    default: {
      const never: never = x.pattern;
      return never;
    }
  }
}
