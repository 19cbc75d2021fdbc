import type { AppContext } from '../../src/app/context.js';
import { type Config, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { Store } from '../../src/store/index.js';
import { FakeClock } from './fake-clock.js';

/** A config for tests: the given environment, no YAML file. */
export function testConfig(env: Record<string, string> = {}): Config {
  const r = loadConfig({ BOT_LOCALE: 'en-US', DATABASE_PATH: ':memory:', ...env }, { readFile: () => undefined });
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
}

/** An AppContext over an in-memory store and a fake clock. */
export function testContext(env: Record<string, string> = {}): AppContext & { clock: FakeClock } {
  const config = testConfig(env);
  return {
    config,
    log: silentLogger(),
    store: Store.open(':memory:'),
    clock: new FakeClock(),
    metrics: new Metrics({ defaultMetrics: false }),
  };
}
