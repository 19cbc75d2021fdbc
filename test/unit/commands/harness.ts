/** A command bench for unit tests: the router with every command, a store with one incident, and `send`. */
import { PeopleDirectory } from '../../../src/access/people.js';
import type { AppContext } from '../../../src/app/context.js';
import { registerDefaults } from '../../../src/app/defaults.js';
import { type IncomingMessage, Router } from '../../../src/app/router.js';
import { COMMANDS, registerCommands } from '../../../src/commands/index.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { incidentCardKey } from '../../../src/incidents/publish.js';
import type { RunbookLauncher, RunbookSummary, RunRequest, RunRequestResult } from '../../../src/ports/remediation.js';
import type { ToolHost, ToolResult } from '../../../src/ports/tools.js';
import { loadRunbooks } from '../../../src/runbooks/loader.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { DEFAULT_YAML, fixture, harness } from '../../helpers/alerts.js';
import { forMessage } from '../../helpers/app-context.js';
import type { FakeClock } from '../../helpers/fake-clock.js';

export const PEOPLE_YAML = `${DEFAULT_YAML}
people:
  - id: ou_admin
    roles: [admin]
  - id: ou_operator
    roles: [operator]
  - id: ou_viewer
    roles: [viewer]
`;

/** The real catalogue, as the engine would list it. */
export function realCatalogue(): RunbookSummary[] {
  return [...loadRunbooks().runbooks.values()].map((r) => ({
    id: r.id,
    title: r.title['en-US'],
    description: r.description['en-US'],
    category: r.category,
    risk: r.risk,
    params: Object.entries(r.params).map(([name, p]) => ({
      name,
      required: !('optional' in p && p.optional) && p.default === undefined,
      ...(p.default !== undefined ? { default: String(p.default) } : {}),
    })),
  }));
}

/** A launcher that records requests and answers `result` (awaiting approval by default). */
export class FakeLauncher implements RunbookLauncher {
  readonly requests: RunRequest[] = [];
  result: RunRequestResult = { ok: true, runId: 'run_1', phase: 'awaiting_approval', approvalId: 'apr_1' };
  private readonly list = realCatalogue();
  async request(req: RunRequest): Promise<RunRequestResult> {
    this.requests.push(req);
    return this.result;
  }
  catalogue(): readonly RunbookSummary[] {
    return this.list;
  }
}

/** Tools that answer from a table of `name → result data` and record every call. */
export function fakeTools(answers: Record<string, (args: Record<string, unknown>) => ToolResult>) {
  const calls: [string, Record<string, unknown>][] = [];
  const tools: ToolHost = {
    list: () => [],
    async call(name, args) {
      calls.push([name, args as Record<string, unknown>]);
      const answer = answers[name];
      if (!answer)
        return { kind: 'error', tool: name, message: `no fake for ${name}`, args, code: 'internal' } as ToolResult;
      return answer(args as Record<string, unknown>);
    },
  };
  return { tools, calls };
}

export function ok(tool: string, data: unknown, text = JSON.stringify(data)): ToolResult {
  return { kind: 'ok', tool, data, text, truncated: false, dryRun: false } as ToolResult;
}

export interface Bench {
  h: ReturnType<typeof harness>;
  id: number;
  send(text: string, over?: Partial<IncomingMessage>): Promise<string[]>;
  /** Makes `om_card` the incident's card, so replies under it are in its thread. */
  threadOf(id: number): Partial<IncomingMessage>;
}

export function bench(
  options: { tools?: ToolHost; launcher?: RunbookLauncher; yaml?: string; clock?: FakeClock } = {},
): Bench {
  const h = harness({ yaml: options.yaml ?? PEOPLE_YAML, ...(options.clock ? { clock: options.clock } : {}) });
  const router = registerDefaults(new Router());
  registerCommands(router, COMMANDS, {
    incidents: h,
    alertmanager: undefined,
    ...(options.launcher ? { launcher: options.launcher } : {}),
  });
  const app: AppContext = {
    config: h.config,
    log: h.log,
    store: h.store,
    clock: h.clock,
    metrics: new Metrics({ defaultMetrics: false }),
    ...(options.tools ? { tools: options.tools } : {}),
  };
  const people = new PeopleDirectory(h.config.file.people as never);
  const id = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
  let n = 0;
  async function send(text: string, over: Partial<IncomingMessage> = {}) {
    const before = h.messages({ kind: 'reply' }).length;
    const msg: IncomingMessage = {
      eventId: `ev_${++n}`,
      messageId: `om_${n}`,
      chatId: 'oc_shop',
      chatType: 'group',
      senderOpenId: 'ou_admin',
      messageType: 'text',
      text,
      mentions: [],
      mentionedBot: true,
      createTime: 0,
      ...over,
    };
    const ctx = { ...forMessage(app, msg), actor: people.resolve(msg.senderOpenId) };
    await router.dispatchMessage(msg, ctx);
    return h
      .messages({ kind: 'reply' })
      .slice(before)
      .map((m) => {
        if (m.kind !== 'reply') return '';
        return m.msgType === 'text' ? (JSON.parse(m.content) as { text: string }).text : m.content;
      });
  }
  function threadOf(incident: number): Partial<IncomingMessage> {
    h.store.cards.record(incidentCardKey(incident), 'oc_shop', `om_card_${incident}`, h.clock.now());
    return { rootId: `om_card_${incident}`, threadId: `omt_${incident}` };
  }
  return { h, id, send, threadOf };
}

export function deniedAudit(h: Bench['h']): unknown[] {
  return h.store.db.prepare("SELECT action, actor FROM audit_log WHERE decision = 'denied' ORDER BY id").all();
}
