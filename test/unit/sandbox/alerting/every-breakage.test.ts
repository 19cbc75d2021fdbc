import { describe, expect, it } from 'vitest';
import { BreakMenu } from '../../../../src/sandbox/alerting/breakage.js';
import { scrapeAll } from '../../../../src/sandbox/alerting/index.js';
import { RuleEngine } from '../../../../src/sandbox/alerting/rule-engine.js';
import { FAST_TIMING } from '../../../../src/sandbox/alerting/timing.js';
import { seedDemoCluster } from '../../../../src/sandbox/cluster/seed.js';
import { ClusterStore } from '../../../../src/sandbox/cluster/store.js';
import { World } from '../../../../src/sandbox/cluster/world.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

/** A seeded demo cluster on a fake clock with the in-process rules evaluated every simulated second. */
async function live() {
  const clock = new FakeClock();
  const store = new ClusterStore({ clock });
  const world = new World(store, { seed: 11 });
  seedDemoCluster(store, world);
  const cluster = { store, world, inject: (name: string, target?: unknown) => world.inject(name, target ?? {}) };
  const engine = new RuleEngine({ scrape: () => scrapeAll(cluster), timing: FAST_TIMING, now: () => clock.now() });
  const firing = new Set<string>();
  const resolved = new Set<string>();
  const step = async () => {
    await clock.advance(FAST_TIMING.evalMs);
    world.tick();
    for (const a of engine.evaluate()) {
      const name = a.labels.alertname ?? '';
      if (a.status === 'firing') firing.add(name);
      else resolved.add(name);
    }
  };
  /** Steps until `done()` or the simulated deadline; returns whether it became true. */
  const until = async (done: () => boolean, seconds = 300) => {
    for (let i = 0; i < seconds && !done(); i++) await step();
    return done();
  };
  await until(() => false, 20); // the seeded cluster settles
  return { menu: new BreakMenu(cluster), engine, firing, resolved, until, store };
}

const stillFiring = (engine: RuleEngine, name: string) =>
  engine.states().some((s) => s.alertname === name && s.state === 'firing');

describe('live alerting over the simulated cluster', () => {
  it('keeps a healthy cluster quiet except for the Watchdog', async () => {
    const w = await live();
    await w.until(() => false, 30);
    expect([...w.firing]).toEqual(['Watchdog']);
  });

  const menu = new BreakMenu({
    store: new ClusterStore(),
    world: new World(new ClusterStore()),
    inject: () => ({ scenario: '', done: '', fix: '' }),
  });
  for (const b of menu.list().filter((x) => x.alerts.length > 0)) {
    it(`${b.name} raises ${b.alerts.join(' and ')}, and healing resolves them`, async () => {
      const w = await live();
      w.menu.breakIt(b.name);
      const raised = await w.until(() => b.alerts.every((a) => w.firing.has(a)));
      expect([...w.firing], `raised for ${b.name}`).toEqual(expect.arrayContaining(b.alerts));
      expect(raised).toBe(true);
      w.menu.heal();
      const healed = await w.until(() => b.alerts.every((a) => !stillFiring(w.engine, a)));
      expect(
        w.engine.states().filter((s) => s.state === 'firing' && s.alertname !== 'Watchdog'),
        `still firing after heal of ${b.name}`,
      ).toEqual([]);
      expect(healed).toBe(true);
      for (const a of b.alerts) expect(w.resolved.has(a), `${a} resolved`).toBe(true);
    });
  }
});
