/** An app around the agent for tests: alert harness store, router with the agent and /reset, scripted LLM, recorded tools. */
import { PeopleDirectory } from '../../../src/access/people.js';
import { DEFAULT_BUDGETS } from '../../../src/agent/budgets.js';
import { type Agent, createAgent, registerAgent } from '../../../src/agent/register.js';
import type { AppContext } from '../../../src/app/context.js';
import { registerDefaults } from '../../../src/app/defaults.js';
import { type IncomingMessage, Router } from '../../../src/app/router.js';
import { registerCommands } from '../../../src/commands/register.js';
import { resetCommand } from '../../../src/commands/reset.js';
import type { Diagnosis, Finding } from '../../../src/diagnosis/finding.js';
import type { Scope } from '../../../src/diagnosis/scope.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { incidentCardKey } from '../../../src/incidents/publish.js';
import type { LlmPort } from '../../../src/ports/llm.js';
import type { RunbookLauncher } from '../../../src/ports/remediation.js';
import type { ToolHost } from '../../../src/ports/tools.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { RecordedTools, type Recording } from '../../evals/harness.js';
import { DEFAULT_YAML, fixture, harness } from '../../helpers/alerts.js';
import { forMessage } from '../../helpers/app-context.js';

export const CRASH_FINDING: Finding = {
  id: 'pod.crash_loop:shop/deployment/checkout',
  pattern: 'pod.crash_loop',
  severity: 'critical',
  resource: { cluster: '', kind: 'deployment', namespace: 'shop', name: 'checkout' },
  title: 'checkout is crash-looping',
  cause: 'container checkout exits with code 1: FATAL DATABASE_URL is not set',
  evidence: [
    { type: 'status', source: 'shop/pod/checkout-7d9f-x2x9q', field: 'state.waiting', reason: 'CrashLoopBackOff' },
  ],
  confidence: 'high',
  runbooks: [{ id: 'deployment-rollback', params: { namespace: 'shop', deployment: 'checkout', to_revision: '6' } }],
  affected: [],
  affectedCount: 1,
  folded: [],
};

export interface WorldOptions {
  llm?: LlmPort;
  recordings?: Recording[];
  launcher?: RunbookLauncher;
  diagnose?: (scope: Scope) => Promise<Diagnosis>;
  yaml?: string;
  /** `agent.auto` priorities. */
  auto?: ('P0' | 'P1' | 'P2' | 'P3')[];
  /** A real ToolHost instead of the recorded one. */
  host?: ToolHost;
}

export function agentWorld(o: WorldOptions = {}) {
  const h = harness({ yaml: o.yaml ?? DEFAULT_YAML });
  const tools = new RecordedTools(o.recordings ?? []);
  const app: AppContext = {
    config: h.config,
    log: h.log,
    store: h.store,
    clock: h.clock,
    metrics: new Metrics({ defaultMetrics: false }),
    tools: o.host ?? tools,
    ...(o.llm ? { llm: o.llm } : {}),
  };
  let ids = 0;
  const agent: Agent = createAgent({
    ctx: app,
    budgets: DEFAULT_BUDGETS,
    launcher: o.launcher,
    diagnose: o.diagnose,
    ...(o.auto ? { auto: o.auto } : {}),
    newId: () => `ar_${++ids}`,
  });
  const router = registerDefaults(new Router());
  registerCommands(router, [resetCommand], { incidents: h, alertmanager: undefined });
  registerAgent(router, agent);
  const people = new PeopleDirectory([]);
  const incidentId = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
  h.store.cards.record(incidentCardKey(incidentId), 'oc_shop', 'om_card', h.clock.now());
  let n = 0;
  async function send(text: string, over: Partial<IncomingMessage> = {}) {
    const msg: IncomingMessage = {
      eventId: `ev_${++n}`,
      messageId: `om_${n}`,
      chatId: 'oc_shop',
      chatType: 'group',
      senderOpenId: 'ou_alice',
      messageType: 'text',
      text,
      mentions: [],
      mentionedBot: true,
      createTime: 0,
      ...over,
    };
    await router.dispatchMessage(msg, { ...forMessage(app, msg), actor: people.resolve(msg.senderOpenId) });
    await agent.idle();
    return msg;
  }
  /** Text of every queued reply (text messages), and every card (reply or patch) as JSON text. */
  const replies = () =>
    h
      .messages({ kind: 'reply' })
      .map((m) =>
        m.kind === 'reply' && m.msgType === 'text'
          ? (JSON.parse(m.content) as { text: string }).text
          : m.kind === 'reply'
            ? m.content
            : '',
      );
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
  /** Every agent card queued (reply or patch), as JSON text with Markdown escapes decoded. */
  const cards = () =>
    h
      .messages()
      .flatMap((m) =>
        m.kind === 'patch_card'
          ? [JSON.stringify(m.card)]
          : m.kind === 'reply' && m.msgType === 'interactive'
            ? [m.content]
            : [],
      )
      .map(decode);
  return { h, app, agent, router, tools, incidentId, send, replies, cards };
}
