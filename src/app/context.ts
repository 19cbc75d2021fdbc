/**
 * What handlers receive. `AppContext` holds the process-wide ports (built once by main.ts); `EventContext` is
 * built by the receiver for each Feishu event, bolt-style: the event's id, who is acting, the chat, a child
 * logger carrying the event id, an abort signal and deadline, the message catalog — and the ports.
 *
 *   router.onCardAction('ack', async ({ action, click, ctx }) => { ctx.actor.openId; ctx.log.info(…); … });
 */
import type { Actor } from '../access/actor.js';
import type { Config } from '../config.js';
import type { Finding } from '../diagnosis/finding.js';
import type { Incident } from '../incidents/model.js';
import type { Clock } from '../ports/clock.js';
import type { LlmPort } from '../ports/llm.js';
import type { ApprovalDecider, RunbookLauncher, RunRequestResult } from '../ports/remediation.js';
import type { ToolHost } from '../ports/tools.js';
import { type Translate, translator } from '../shared/i18n.js';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import type { Store } from '../store/index.js';

export interface AppContext {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  metrics: Metrics;
  /** The LLM, when an OpenAI-compatible endpoint is configured; diagnosis works without it. */
  llm?: LlmPort;
  /** Every tool (Kubernetes, Prometheus, external MCP servers) behind one policy. */
  tools?: ToolHost;
  /** Requests runbook runs (slash commands, buttons, the agent, the console). */
  launcher?: RunbookLauncher;
  /** Decides approvals exactly once. */
  approvals?: ApprovalDecider;
  /** Auto-fix: low-risk runbooks the findings propose, run without a click in `approvals.low.auto_namespaces`. */
  autoRemediate?: (incident: Incident, findings: readonly Finding[]) => Promise<RunRequestResult[]>;
}

/** One Feishu event's context: everything of the app's, plus who, where, and until when. */
export interface EventContext extends AppContext {
  /** Feishu's event id (the header's `event_id`). */
  eventId: string;
  /** Whoever clicked or wrote, and the configured person they are. */
  actor: Actor;
  /** The chat the event happened in (empty when Feishu named none). */
  chatId: string;
  /** A child of the app's logger carrying `eventId`. */
  log: Logger;
  /** Aborted when the bot stops (long work should stop and leave its state resumable). */
  signal: AbortSignal;
  /** Epoch ms by which the answer is due (a card click's callback window; a message's work budget). */
  deadline: number;
  /** The message catalog in the configured locale. */
  t: Translate;
}

export interface EventFacts {
  eventId: string;
  actor: Actor;
  chatId: string;
  deadline: number;
  signal?: AbortSignal;
  /** Extra fields for the child logger (e.g. the event type). */
  logFields?: Record<string, unknown>;
}

/** Builds an event's context from the app's (the receiver does this once per event; tests build their own). */
export function eventContext(app: AppContext, facts: EventFacts): EventContext {
  return {
    ...app,
    eventId: facts.eventId,
    actor: facts.actor,
    chatId: facts.chatId,
    log: app.log.child({ eventId: facts.eventId, ...facts.logFields }),
    signal: facts.signal ?? new AbortController().signal,
    deadline: facts.deadline,
    t: translator(app.config.locale),
  };
}
