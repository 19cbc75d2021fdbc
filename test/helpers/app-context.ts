import { type AppContext, type EventContext, eventContext } from '../../src/app/context.js';
import type { CardClick, IncomingMessage } from '../../src/app/router.js';
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

/** The context the receiver would build for a click. */
export function forClick(app: AppContext, click: CardClick): EventContext {
  return eventContext(app, {
    eventId: click.eventId,
    actor: { openId: click.operatorOpenId },
    chatId: click.chatId,
    deadline: app.clock.now() + 2500,
  });
}

/** The context the receiver would build for an addressed message. */
export function forMessage(app: AppContext, msg: IncomingMessage): EventContext {
  return eventContext(app, {
    eventId: msg.eventId,
    actor: { openId: msg.senderOpenId },
    chatId: msg.chatId,
    deadline: app.clock.now() + 600_000,
  });
}
