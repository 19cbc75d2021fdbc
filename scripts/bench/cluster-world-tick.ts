/**
 * How long one controller tick of the simulated demo cluster takes, healthy and with a crash-looping
 * rollout in flight. Prints ms per tick and the ratio against the healthy baseline measured in the same run.
 */
import { seedDemoCluster } from '../../src/sandbox/cluster/seed.js';
import { ClusterStore } from '../../src/sandbox/cluster/store.js';
import { World } from '../../src/sandbox/cluster/world.js';

let now = Date.parse('2026-11-25T08:00:00Z');
const clock = {
  now: () => now,
  setTimeout: () => ({ id: 0 }),
  clearTimeout: () => {},
  sleep: async () => {},
};

function measure(world: World, ticks: number): number {
  const t0 = performance.now();
  for (let i = 0; i < ticks; i++) {
    now += 1000;
    world.tick();
  }
  return (performance.now() - t0) / ticks;
}

const store = new ClusterStore({ clock });
const world = new World(store);
seedDemoCluster(store, world);
measure(world, 20);
const healthy = measure(world, 300);
world.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
world.inject('readiness-fail', { namespace: 'shop', deployment: 'cart' });
const broken = measure(world, 300);
console.log(`healthy demo cluster: ${healthy.toFixed(2)} ms/tick (${store.list('Pod').length} pods)`);
console.log(`with crashloop + readiness-fail: ${broken.toFixed(2)} ms/tick, ratio ${(broken / healthy).toFixed(2)}x`);
console.log(`events stored: ${store.list('Event').length}`);
