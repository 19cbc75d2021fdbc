import { as, type Deployment, type Pod, parseCpu, setCondition } from '../objects.js';
import type { WorldContext } from '../world-context.js';
import { isActive } from './replicaset.js';

interface HpaSpec {
  scaleTargetRef: { kind: string; name: string; apiVersion?: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: { type: string; resource?: { name: string; target?: { type?: string; averageUtilization?: number } } }[];
}

const TOLERANCE = 0.1;

/** The horizontal pod autoscaler on CPU utilization, with usage from the simulated processes. */
export class HpaController {
  constructor(private readonly ctx: WorldContext) {}

  sync(): void {
    const ctx = this.ctx;
    for (const hpa of ctx.list('HorizontalPodAutoscaler'))
      this.ctx.guard(`hpa ${hpa.metadata.namespace}/${hpa.metadata.name}`, () => {
        const spec = hpa.spec as unknown as HpaSpec;
        const ns = hpa.metadata.namespace;
        const now = ctx.ts();
        const status = (hpa.status ?? {}) as Record<string, unknown> & { conditions?: [] };
        const target =
          spec.scaleTargetRef.kind === 'Deployment'
            ? ctx.store.get('Deployment', ns, spec.scaleTargetRef.name)
            : undefined;
        if (!target) {
          const conditions = setCondition(
            status.conditions,
            {
              type: 'AbleToScale',
              status: 'False',
              reason: 'FailedGetScale',
              message: `the HPA controller was unable to get the target's current scale: deployments.apps "${spec.scaleTargetRef.name}" not found`,
            },
            now,
          );
          ctx.setStatus(hpa, { ...status, currentReplicas: 0, desiredReplicas: 0, conditions });
          return;
        }
        const d = as<Deployment>(target);
        const min = spec.minReplicas ?? 1;
        const current = d.spec.replicas;
        const util = this.utilization(d);
        const targetUtil =
          spec.metrics?.find((m) => m.resource?.name === 'cpu')?.resource?.target?.averageUtilization ?? 80;
        let desired = current;
        if (util !== undefined && current > 0 && Math.abs(util / targetUtil - 1) > TOLERANCE)
          desired = Math.ceil((current * util) / targetUtil);
        const limited = desired > spec.maxReplicas ? 'TooManyReplicas' : desired < min ? 'TooFewReplicas' : undefined;
        desired = Math.min(spec.maxReplicas, Math.max(min, desired));
        let conditions = setCondition(
          status.conditions,
          {
            type: 'AbleToScale',
            status: 'True',
            reason: desired === current ? 'ReadyForNewScale' : 'SucceededRescale',
            message:
              desired === current
                ? 'recommended size matches current size'
                : `the HPA controller was able to update the target scale to ${desired}`,
          },
          now,
        );
        conditions = setCondition(
          conditions,
          util === undefined
            ? {
                type: 'ScalingActive',
                status: 'False',
                reason: 'FailedGetResourceMetric',
                message:
                  'the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)',
              }
            : {
                type: 'ScalingActive',
                status: 'True',
                reason: 'ValidMetricFound',
                message:
                  'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
              },
          now,
        );
        conditions = setCondition(
          conditions,
          limited
            ? {
                type: 'ScalingLimited',
                status: 'True',
                reason: limited,
                message:
                  limited === 'TooManyReplicas'
                    ? 'the desired replica count is more than the maximum replica count'
                    : 'the desired replica count is less than the minimum replica count',
              }
            : {
                type: 'ScalingLimited',
                status: 'False',
                reason: 'DesiredWithinRange',
                message: 'the desired count is within the acceptable range',
              },
          now,
        );
        let lastScaleTime = status.lastScaleTime;
        if (desired !== current) {
          ctx.modify('Deployment', ns, d.metadata.name, (o) => {
            (o.spec as Record<string, unknown>).replicas = desired;
          });
          lastScaleTime = now;
          const dir = desired > current ? 'above' : 'below';
          ctx.event(
            hpa,
            'SuccessfulRescale',
            `New size: ${desired}; reason: cpu resource utilization (percentage of request) ${dir} target`,
          );
        }
        ctx.setStatus(hpa, {
          ...status,
          currentReplicas: d.status?.replicas ?? current,
          desiredReplicas: desired,
          ...(lastScaleTime ? { lastScaleTime } : {}),
          currentMetrics:
            util === undefined
              ? []
              : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: util } } }],
          conditions,
        });
      });
  }

  /** Mean CPU use of the target's ready pods as a percentage of their requests. */
  private utilization(d: Deployment): number | undefined {
    const ctx = this.ctx;
    const pods = ctx
      .list('Pod', d.metadata.namespace)
      .map((p) => as<Pod>(p))
      .filter((p) => isActive(p) && p.status?.phase === 'Running' && matches(p, d));
    const per = pods.map((p) => {
      let used = 0;
      let req = 0;
      for (const c of p.spec.containers) {
        used += ctx.images.profile(c.image).cpuCores;
        req += parseCpu(c.resources?.requests?.cpu);
      }
      return req > 0 ? (used / req) * 100 : undefined;
    });
    const vals = per.filter((x): x is number => x !== undefined);
    if (vals.length === 0) return undefined;
    return Math.round(vals.reduce((a, b) => a + b, 0) / vals.length);
  }
}

function matches(p: Pod, d: Deployment): boolean {
  return Object.entries(d.spec.selector.matchLabels ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v);
}
