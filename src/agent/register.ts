/**
 * The agent's wiring: `createAgent(options)` builds the runtime, the `Investigator` and the approval listener;
 * `registerAgent(router, agent)` adds the conversation link to the message chain. With an LLM it answers every
 * addressed message that is not a command; without one it takes only messages it can answer with the
 * diagnosis engine (an incident's thread, or a named namespace or workload) and passes the rest on.
 */

import type { Priority } from '../alerts/model.js';
import type { Router } from '../app/router.js';
import { incidentsOfCardMessage } from '../incidents/publish.js';
import type { Investigator } from '../ports/remediation.js';
import { AutoInvestigation } from './auto.js';
import { converse, scopeInText, threadOf } from './conversation.js';
import { AgentInvestigator } from './investigator.js';
import { AgentResumer } from './resume.js';
import { type AgentOptions, AgentRuntime } from './runtime.js';

export interface Agent {
  runtime: AgentRuntime;
  investigator: Investigator;
  resumer: AgentResumer;
  /** Resolves once no investigation or conversation is running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** `auto`: the priorities investigated when an incident opens (`agent.auto`); none by default here. */
export function createAgent(options: AgentOptions & { auto?: readonly Priority[] }): Agent {
  const runtime = new AgentRuntime(options);
  const resumer = new AgentResumer(runtime);
  resumer.start();
  const investigator = new AgentInvestigator(runtime);
  const auto = new AutoInvestigation(runtime, investigator, options.auto ?? [], options.diagnose);
  auto.start();
  return {
    runtime,
    investigator,
    resumer,
    idle: () => runtime.idle(),
    async stop() {
      auto.stop();
      resumer.stop();
      await runtime.idle();
    },
  };
}

export function registerAgent(router: Router, agent: Agent): Router {
  const rt = agent.runtime;
  router.onMessage(async ({ message, ctx, next }) => {
    if (!rt.team) {
      const { root } = threadOf(message);
      const inIncident = root !== undefined && incidentsOfCardMessage(ctx.store, root).length > 0;
      if (!inIncident && !scopeInText(message.text)) return next();
    }
    if (message.text.trim() === '') return next();
    await converse(rt, message, ctx);
  });
  return router;
}
