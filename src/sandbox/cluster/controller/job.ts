import {
  as,
  type Condition,
  findCondition,
  isOwnedBy,
  obj,
  ownerRef,
  type Pod,
  type PodTemplate,
  qosClass,
} from '../objects.js';
import type { K8sObject } from '../store.js';
import type { WorldContext } from '../world-context.js';

interface JobSpec {
  template: PodTemplate;
  backoffLimit?: number;
  completions?: number;
  suspend?: boolean;
}

/**
 * The Job controller for one-pod Jobs: a Job that has not finished runs one pod at a time from its template;
 * a pod whose containers all started runs to completion on the next pass (exit 0, `Completed`), a pod the
 * kubelet failed counts against `backoffLimit`. `completions` successes → `Complete`; more failures than the
 * limit → `Failed` with BackoffLimitExceeded. A finished Job is left alone, as a real controller leaves it.
 */
export class JobController {
  constructor(private readonly ctx: WorldContext) {}

  sync(): void {
    for (const job of this.ctx.list('Job'))
      this.ctx.guard(`job ${job.metadata.namespace}/${job.metadata.name}`, () => this.reconcile(job));
  }

  private reconcile(job: K8sObject): void {
    const status = (job.status ?? {}) as { conditions?: Condition[]; startTime?: string };
    const finished = ['Complete', 'Failed'].some((t) => findCondition(status.conditions, t)?.status === 'True');
    const spec = job.spec as unknown as JobSpec;
    if (finished || spec.suspend === true) return;
    const pods = this.ctx
      .list('Pod', job.metadata.namespace)
      .filter((p) => isOwnedBy(p, job))
      .map((p) => as<Pod>(p));
    for (const p of pods) if (p.status?.phase === 'Running' && allStarted(p)) this.complete(p);
    const phases = pods.map((p) => (p.status?.phase === 'Running' && allStarted(p) ? 'Succeeded' : p.status?.phase));
    const succeeded = phases.filter((p) => p === 'Succeeded').length;
    const failed = phases.filter((p) => p === 'Failed').length;
    const active = phases.filter((p) => p !== 'Succeeded' && p !== 'Failed').length;
    const now = this.ctx.ts();
    const base = { ...status, startTime: status.startTime ?? now, active, succeeded, failed, ready: 0 };
    if (succeeded >= (spec.completions ?? 1)) {
      let conditions = setTrue(status.conditions, 'SuccessCriteriaMet', 'CompletionsReached', now);
      conditions = setTrue(conditions, 'Complete', 'CompletionsReached', now);
      this.ctx.setStatus(job, { ...base, active: 0, completionTime: now, conditions });
      this.ctx.event(job, 'Completed', 'Job completed');
      return;
    }
    if (failed > (spec.backoffLimit ?? 6)) {
      const message = 'Job has reached the specified backoff limit';
      let conditions = setTrue(status.conditions, 'FailureTarget', 'BackoffLimitExceeded', now, message);
      conditions = setTrue(conditions, 'Failed', 'BackoffLimitExceeded', now, message);
      this.ctx.setStatus(job, { ...base, active: 0, conditions });
      this.ctx.event(job, 'BackoffLimitExceeded', message, 'Warning');
      return;
    }
    if (active === 0) this.createPod(job, spec.template);
    this.ctx.setStatus(job, { ...base, active: Math.max(active, 1) });
  }

  private complete(p: Pod): void {
    const finishedAt = this.ctx.ts();
    this.ctx.store.updateStatus('Pod', p.metadata.namespace, p.metadata.name, {
      ...p.status,
      phase: 'Succeeded',
      conditions: (p.status?.conditions ?? []).map((c) =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: finishedAt }
          : c,
      ),
      containerStatuses: (p.status?.containerStatuses ?? []).map((c) => ({
        ...c,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: c.state.running?.startedAt ?? finishedAt,
            finishedAt,
          },
        },
      })),
    });
  }

  private createPod(job: K8sObject, tpl: PodTemplate): void {
    const spec = structuredClone(tpl.spec);
    const pod = this.ctx.store.create(
      obj({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${job.metadata.name}-${this.ctx.rng.suffix()}`,
          namespace: job.metadata.namespace,
          labels: { ...tpl.metadata?.labels },
          ownerReferences: [ownerRef(job)],
        },
        spec,
        status: { phase: 'Pending', qosClass: qosClass(spec) },
      }),
    );
    this.ctx.event(job, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }
}

function allStarted(p: Pod): boolean {
  const list = p.status?.containerStatuses ?? [];
  return list.length > 0 && list.every((c) => c.state.running !== undefined);
}

function setTrue(
  list: Condition[] | undefined,
  type: string,
  reason: string,
  now: string,
  message?: string,
): Condition[] {
  const rest = (list ?? []).filter((c) => c.type !== type);
  return [
    ...rest,
    {
      type,
      status: 'True' as const,
      reason,
      ...(message ? { message } : {}),
      lastProbeTime: now,
      lastTransitionTime: now,
    },
  ];
}
