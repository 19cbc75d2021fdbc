import type { Clock } from '../../ports/clock.js';
import { CodedError } from '../../shared/errors.js';
import { DeploymentController } from './controller/deployment.js';
import { EndpointsController } from './controller/endpoints.js';
import { HpaController } from './controller/hpa.js';
import { JobController } from './controller/job.js';
import { Kubelet } from './controller/kubelet.js';
import { NodeController } from './controller/node.js';
import { PvcBinder } from './controller/pvc.js';
import { ReplicaSetController } from './controller/replicaset.js';
import { Scheduler } from './controller/scheduler.js';
import { ImageCatalog } from './images.js';
import { Rng } from './objects.js';
import { findScenario, SCENARIOS } from './scenarios/index.js';
import type { ClusterStore } from './store.js';
import { WorldContext } from './world-context.js';

export interface WorldOptions {
  /** Defaults to the store's clock. */
  clock?: Clock;
  /** Seed for pod-name suffixes, container IDs and the like (same seed, same names). */
  seed?: number;
  images?: ImageCatalog;
  /** Told when reconciling an object throws (`where`: "hpa shop/x"); the rest still converge, the next tick retries. */
  onError?: (where: string, err: unknown) => void;
}

export interface ScenarioOutcome {
  scenario: string;
  /** What was broken, in one sentence. */
  done: string;
  fix: string;
}

/**
 * The simulated cluster's control plane and nodes: every `tick()` runs the controllers once, in the order
 * a real cluster would converge (desired state → ReplicaSets and Jobs → pods → scheduling → kubelets → status).
 */
export class World {
  readonly ctx: WorldContext;
  readonly images: ImageCatalog;
  private readonly deployments: DeploymentController;
  private readonly replicasets: ReplicaSetController;
  private readonly scheduler: Scheduler;
  readonly kubelet: Kubelet;
  private readonly nodes: NodeController;
  private readonly endpoints: EndpointsController;
  private readonly pvcs: PvcBinder;
  private readonly hpas: HpaController;
  private readonly jobs: JobController;

  constructor(
    readonly store: ClusterStore,
    opts: WorldOptions = {},
  ) {
    this.images = opts.images ?? new ImageCatalog();
    this.ctx = new WorldContext(store, opts.clock ?? store.clock, new Rng(opts.seed ?? 42), this.images, {
      crashingPods: new Set(),
    });
    this.deployments = new DeploymentController(this.ctx);
    this.replicasets = new ReplicaSetController(this.ctx);
    this.scheduler = new Scheduler(this.ctx);
    this.kubelet = new Kubelet(this.ctx);
    this.nodes = new NodeController(this.ctx);
    this.endpoints = new EndpointsController(this.ctx);
    this.pvcs = new PvcBinder(this.ctx);
    this.hpas = new HpaController(this.ctx);
    this.jobs = new JobController(this.ctx);
    this.ctx.onError = opts.onError;
  }

  tick(): void {
    const steps: [string, () => void][] = [
      ['node', () => this.nodes.sync()],
      ['pvc', () => this.pvcs.sync()],
      ['hpa', () => this.hpas.sync()],
      ['deployment', () => this.deployments.reconcile()],
      ['replicaset', () => this.replicasets.manage()],
      ['job', () => this.jobs.sync()],
      ['scheduler', () => this.scheduler.sync()],
      ['kubelet', () => this.kubelet.sync()],
      ['replicaset-status', () => this.replicasets.refreshStatus()],
      ['deployment-status', () => this.deployments.refreshStatus()],
      ['endpoints', () => this.endpoints.sync()],
    ];
    for (const [name, step] of steps) this.ctx.guard(name, step);
  }

  /** Controller failures so far (each also reported to `onError`). */
  get errors(): number {
    return this.ctx.errors;
  }

  scenarios(): { name: string; summary: string; fix: string; recoverable: boolean }[] {
    return SCENARIOS.map((s) => ({ name: s.name, summary: s.summary, fix: s.fix, recoverable: 'recover' in s }));
  }

  /** Breaks the cluster the named way; the target is validated against the scenario's schema. */
  inject(name: string, target: unknown = {}): ScenarioOutcome {
    const s = findScenario(name);
    if (!s)
      throw new CodedError('not_found', `unknown scenario "${name}"`, {
        detail: { known: SCENARIOS.map((x) => x.name) },
      });
    const parsed = s.target.safeParse(target ?? {});
    if (!parsed.success)
      throw new CodedError('bad_request', `invalid target for scenario "${name}": ${parsed.error.message}`);
    return { scenario: name, done: s.inject(this.ctx, parsed.data), fix: s.fix };
  }

  /** The operator's host-side fix for scenarios whose cause is outside the API (kubelet restarted, disk freed). */
  recover(name: string, target: unknown = {}): ScenarioOutcome {
    const s = findScenario(name);
    if (!s?.recover) throw new CodedError('not_found', `scenario "${name}" has no host-side recovery`);
    const parsed = s.target.safeParse(target ?? {});
    if (!parsed.success)
      throw new CodedError('bad_request', `invalid target for scenario "${name}": ${parsed.error.message}`);
    return { scenario: name, done: s.recover(this.ctx, parsed.data), fix: s.fix };
  }
}
