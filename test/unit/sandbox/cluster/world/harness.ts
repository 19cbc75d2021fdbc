import { renderMetrics } from '../../../../../src/sandbox/cluster/metrics/index.js';
import type { Condition, ContainerStatus, Pod } from '../../../../../src/sandbox/cluster/objects.js';
import { seedDemoCluster } from '../../../../../src/sandbox/cluster/seed.js';
import { ClusterStore, type K8sObject } from '../../../../../src/sandbox/cluster/store.js';
import { World } from '../../../../../src/sandbox/cluster/world.js';
import { FakeClock } from '../../../../helpers/fake-clock.js';

export interface DeploymentView extends K8sObject {
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } & Record<string, unknown>;
  status: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    observedGeneration?: number;
    conditions?: Condition[];
  };
}

/** A seeded demo cluster on a fake clock; `run(s)` ticks the world once per simulated second. */
export async function demoWorld() {
  const clock = new FakeClock();
  const store = new ClusterStore({ clock });
  const world = new World(store, { seed: 7 });
  seedDemoCluster(store, world);
  const h = {
    clock,
    store,
    world,
    async run(seconds: number, stepMs = 1000) {
      for (let t = 0; t < seconds * 1000; t += stepMs) {
        await clock.advance(stepMs);
        world.tick();
      }
    },
    pods(ns: string, app?: string): Pod[] {
      return store.list('Pod', ns, app ? { labels: `app=${app}` } : undefined) as Pod[];
    },
    container(p: Pod, i = 0): ContainerStatus {
      const c = p.status.containerStatuses?.[i];
      if (!c) throw new Error(`pod ${p.metadata.name} has no container status ${i}`);
      return c;
    },
    events(reason: string, ns?: string): (K8sObject & { message?: string; count?: number })[] {
      return store.list('Event', ns).filter((e) => e.reason === reason);
    },
    deployment(ns: string, name: string): DeploymentView {
      const d = store.get('Deployment', ns, name);
      if (!d) throw new Error(`no deployment ${ns}/${name}`);
      return d as DeploymentView;
    },
    replicasets(ns: string, app: string): K8sObject[] {
      return store.list('ReplicaSet', ns, { labels: `app=${app}` });
    },
    /** Patches a deployment as kubectl does (read, change, write back). */
    patch(ns: string, name: string, fn: (d: DeploymentView) => void) {
      const d = h.deployment(ns, name);
      fn(d);
      return store.update(d);
    },
    metrics(): string {
      return renderMetrics(store, { usage: (image) => world.images.profile(image) });
    },
    /** The value of one series whose labels include `labels`, or undefined. */
    metric(name: string, labels: Record<string, string> = {}): number | undefined {
      return h.series(name, labels)[0];
    },
    series(name: string, labels: Record<string, string> = {}): number[] {
      const out: number[] = [];
      for (const line of h.metrics().split('\n')) {
        if (!line.startsWith(`${name}{`)) continue;
        if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
          out.push(Number(line.slice(line.lastIndexOf(' ') + 1)));
      }
      return out;
    },
  };
  h.world.tick();
  await h.run(5);
  return h;
}

export type Harness = Awaited<ReturnType<typeof demoWorld>>;

export const isReady = (p: Pod) => p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
