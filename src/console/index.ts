/**
 * The web console, wired from the bot's parts: `mountConsoleFor(http.router, parts)` mounts the routes and
 * returns a closer for the event stream. The session key is CONSOLE_SESSION_SECRET, else derived from
 * FEISHU_APP_SECRET (sessions then outlive a restart), else random per process (with a warning).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { ActorResolver } from '../access/actor.js';
import type { Config } from '../config.js';
import type { IncidentDeps } from '../incidents/context.js';
import type { ApprovalDecider, RunbookLauncher } from '../ports/remediation.js';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import type { ConsoleDeps } from './deps.js';
import { FeishuOAuth } from './feishu-oauth.js';
import { mountConsole } from './routes.js';
import { RunbookCatalogue } from './runbook-catalogue.js';
import { SessionCodec } from './session.js';
import { ConsoleEvents } from './sse.js';

export interface ConsoleParts {
  config: Config;
  incidents: IncidentDeps;
  actors: ActorResolver;
  log: Logger;
  metrics: Metrics;
  decider?: ApprovalDecider;
  launcher?: RunbookLauncher;
  runbooks?: RunbookCatalogue;
  fetch?: typeof fetch;
}

export function sessionSecret(config: Config, log?: Logger): string {
  if (config.console.sessionSecret) return config.console.sessionSecret;
  if (config.feishu.appSecret) {
    return createHmac('sha256', config.feishu.appSecret).update('sre-nanobot console sessions').digest('hex');
  }
  log?.warn('no CONSOLE_SESSION_SECRET or FEISHU_APP_SECRET: console sessions end when the process restarts');
  return randomBytes(32).toString('hex');
}

export function buildConsoleDeps(parts: ConsoleParts): ConsoleDeps {
  const { config, incidents } = parts;
  const codec = new SessionCodec(sessionSecret(config, parts.log));
  const { appId, appSecret, domain } = config.feishu;
  return {
    incidents,
    actors: parts.actors,
    locale: config.locale,
    t: incidents.t,
    timeZone: config.timezone,
    log: parts.log.child({ component: 'console' }),
    metrics: parts.metrics,
    codec,
    authDeps: { codec, actors: parts.actors, clock: incidents.clock, adminToken: config.console.adminToken },
    events: new ConsoleEvents(incidents.store.bus),
    runbooks: parts.runbooks ?? new RunbookCatalogue(),
    ...(appId && appSecret
      ? { oauth: new FeishuOAuth({ domain, appId, appSecret, ...(parts.fetch ? { fetch: parts.fetch } : {}) }) }
      : {}),
    ...(config.console.adminToken ? { adminToken: config.console.adminToken } : {}),
    ...(config.prometheus.url ? { prometheusUrl: config.prometheus.url } : {}),
    ...(parts.decider ? { decider: parts.decider } : {}),
    ...(parts.launcher ? { launcher: parts.launcher } : {}),
  };
}

/** Mounts the console on the bot's router; the returned function closes its event streams. */
export function mountConsoleFor(router: Router, parts: ConsoleParts): { deps: ConsoleDeps; close: () => void } {
  const deps = buildConsoleDeps(parts);
  mountConsole(router, deps);
  return { deps, close: () => deps.events.close() };
}
