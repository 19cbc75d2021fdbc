import type { Clock, TimerHandle } from '../../ports/clock.js';
import { CodedError } from '../../shared/errors.js';
import { writeKubeconfig } from './kubeconfig.js';
import { seedDemoCluster } from './seed.js';
import { type ClusterApiServer, startClusterApiServer } from './server.js';
import { ClusterStore } from './store.js';
import { type ScenarioOutcome, World } from './world.js';
import { worldRoutes } from './world-http.js';

export interface ClusterSimulator {
  store: ClusterStore;
  /** The API server's base URL (plain HTTP on loopback). */
  url: string;
  /** Where the kubeconfig was written, when asked to write one. */
  kubeconfigPath: string | undefined;
  /** The control plane and nodes, when started with `world`; undefined for a bare API server. */
  world: World | undefined;
  /** Runs the controllers once (tests drive time with a fake clock and call this). */
  tick(): void;
  /** Breaks the cluster the named way (see `world.scenarios()`); throws without a world. */
  inject(name: string, target?: unknown): ScenarioOutcome;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Create the demo topology (nodes, shop, payments, coredns…). Default true. */
  demo?: boolean;
  /** Controller loop period on the simulator's clock; 0 = only explicit `tick()`. Default 1000. */
  tickMs?: number;
  /** Seed for generated names and IDs. */
  seed?: number;
  /** Told when a controller throws (the loop keeps running). */
  onError?: (controller: string, err: unknown) => void;
}

export interface ClusterSimulatorOptions {
  port?: number;
  /** Writes a kubeconfig there for kubectl and @kubernetes/client-node (e.g. data/sandbox/kubeconfig). */
  kubeconfigPath?: string;
  clock?: Clock;
  /** Run the simulated control plane (controllers, kubelets, failure scenarios) behind the API. */
  world?: WorldOptions;
}

/** Starts the simulated cluster: the object store and the Kubernetes API server in front of it. */
export async function startClusterSimulator(opts: ClusterSimulatorOptions = {}): Promise<ClusterSimulator> {
  const store = new ClusterStore(opts.clock ? { clock: opts.clock } : {});
  const world = opts.world
    ? new World(store, {
        ...(opts.world.seed !== undefined ? { seed: opts.world.seed } : {}),
        ...(opts.world.onError ? { onError: opts.world.onError } : {}),
      })
    : undefined;
  if (world && opts.world?.demo !== false) {
    seedDemoCluster(store, world);
    world.tick();
  }
  const server: ClusterApiServer = await startClusterApiServer({
    store,
    extra: worldRoutes(store, world),
    ...(opts.port ? { port: opts.port } : {}),
  });
  if (opts.kubeconfigPath) writeKubeconfig(opts.kubeconfigPath, server.url);
  let timer: TimerHandle | undefined;
  let closed = false;
  const period = opts.world?.tickMs ?? 1000;
  const loop = () => {
    if (closed || !world) return;
    world.tick();
    timer = store.clock.setTimeout(loop, period);
  };
  if (world && period > 0) timer = store.clock.setTimeout(loop, period);
  return {
    store,
    url: server.url,
    kubeconfigPath: opts.kubeconfigPath,
    world,
    tick: () => world?.tick(),
    inject: (name, target) => {
      if (!world) throw new CodedError('bad_request', 'the simulator was started without a world');
      return world.inject(name, target);
    },
    close: () => {
      closed = true;
      if (timer) store.clock.clearTimeout(timer);
      return server.close();
    },
  };
}

export type { K8sObject, WatchEvent, WatchEventType } from './store.js';
export { ClusterStore } from './store.js';
export { World } from './world.js';
