import { describe, expect, it } from 'vitest';
import type { Node } from '../../../../../src/sandbox/cluster/objects.js';
import { seedDemoCluster } from '../../../../../src/sandbox/cluster/seed.js';
import { ClusterStore } from '../../../../../src/sandbox/cluster/store.js';
import { World } from '../../../../../src/sandbox/cluster/world.js';
import { FakeClock } from '../../../../helpers/fake-clock.js';
import { demoWorld } from './harness.js';

describe('world', () => {
  it('keeps reconciling everything else when one object throws, and reports it', async () => {
    const clock = new FakeClock();
    const store = new ClusterStore({ clock });
    const failures: string[] = [];
    const world = new World(store, { onError: (c) => failures.push(c) });
    seedDemoCluster(store, world);
    store.create({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'broken', namespace: 'shop' },
      spec: { maxReplicas: 3 },
    });
    world.tick();
    await clock.advance(5000);
    world.tick();
    expect(failures).toEqual(['hpa shop/broken', 'hpa shop/broken']);
    expect(world.errors).toBe(2);
    expect(store.list('Pod', 'shop').length).toBe(7);
  });

  it('same seed, same pod names', async () => {
    const names = async () => (await demoWorld()).store.list('Pod').map((p) => p.metadata.name);
    expect(await names()).toEqual(await names());
  });

  it('a live kubelet refreshes node heartbeats; a stopped one does not', async () => {
    const h = await demoWorld();
    const beat = (n: string) =>
      (h.store.get('Node', undefined, n) as Node).status.conditions.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const first = beat('node-1');
    h.world.inject('node-notready', { node: 'node-2' });
    const stopped = beat('node-2');
    await h.run(360, 30_000);
    expect(beat('node-1')).not.toBe(first);
    expect(beat('node-2')).toBe(stopped);
  });
});
