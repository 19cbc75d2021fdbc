/** What the console needs from the bot: the store and clock, the chat's people and incident functions, ports. */
import type { ActorResolver } from '../access/actor.js';
import type { IncidentDeps } from '../incidents/context.js';
import type { ApprovalDecider, RunbookLauncher } from '../ports/remediation.js';
import type { Locale, Translate } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import type { AuthDeps } from './auth.js';
import type { FeishuOAuth } from './feishu-oauth.js';
import type { RunbookCatalogue } from './runbook-catalogue.js';
import type { SessionCodec } from './session.js';
import type { ConsoleEvents } from './sse.js';

export interface ConsoleDeps {
  incidents: IncidentDeps;
  actors: ActorResolver;
  locale: Locale;
  t: Translate;
  timeZone: string;
  log: Logger;
  metrics: Metrics;
  codec: SessionCodec;
  /** What `identify` needs: the codec, the people directory, the clock and the admin token. */
  authDeps: AuthDeps;
  events: ConsoleEvents;
  runbooks: RunbookCatalogue;
  /** Feishu sign-in; absent when no app credentials are configured (the admin token still works). */
  oauth?: FeishuOAuth;
  adminToken?: string;
  prometheusUrl?: string;
  /** Absent: approvals are shown read-only with "approvals unavailable". */
  decider?: ApprovalDecider;
  launcher?: RunbookLauncher;
}
