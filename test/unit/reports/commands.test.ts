/**
 * `/report daily|weekly` and `/incident <id> report|postmortem` through the router, over incidents that came in
 * as Alertmanager webhooks: the card, the usage line on bad input, the role check, and the postmortem with a
 * configured LLM, a failing one, and none.
 */
import { describe, expect, it } from 'vitest';
import { PeopleDirectory } from '../../../src/access/people.js';
import type { AppContext } from '../../../src/app/context.js';
import { registerDefaults } from '../../../src/app/defaults.js';
import { type IncomingMessage, Router } from '../../../src/app/router.js';
import { COMMANDS, registerCommands } from '../../../src/commands/index.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { resolve } from '../../../src/incidents/lifecycle.js';
import type { ChatRequest, LlmPort } from '../../../src/ports/llm.js';
import type { ReportDeps } from '../../../src/reports/deps.js';
import { ReportQueries } from '../../../src/reports/queries.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { ReportVotesRepo } from '../../../src/store/repos/report-votes.js';
import { DEFAULT_YAML, fixture, harness } from '../../helpers/alerts.js';
import { forMessage } from '../../helpers/app-context.js';

const YAML = `${DEFAULT_YAML}
people:
  - id: ou_admin
    roles: [admin]
`;

function setup(options: { llm?: LlmPort; reports?: boolean } = {}) {
  const h = harness({ yaml: YAML });
  const reports: ReportDeps = {
    config: h.config,
    store: h.store,
    clock: h.clock,
    log: h.log,
    t: h.t,
    queries: new ReportQueries(h.store.db),
    votes: new ReportVotesRepo(h.store.db),
    ...(options.llm ? { llm: options.llm } : {}),
  };
  const router = registerDefaults(new Router());
  registerCommands(router, COMMANDS, {
    incidents: h,
    alertmanager: undefined,
    ...(options.reports === false ? {} : { reports }),
  });
  const app: AppContext = {
    config: h.config,
    log: h.log,
    store: h.store,
    clock: h.clock,
    metrics: new Metrics({ defaultMetrics: false }),
  };
  const people = new PeopleDirectory(h.config.file.people as never);
  const id = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
  let n = 0;
  async function send(text: string, sender = 'ou_admin') {
    const before = h.messages({ kind: 'reply' }).length;
    const msg: IncomingMessage = {
      eventId: `ev_${++n}`,
      messageId: `om_${n}`,
      chatId: 'oc_shop',
      chatType: 'group',
      senderOpenId: sender,
      messageType: 'text',
      text,
      mentions: [],
      mentionedBot: true,
      createTime: 0,
    };
    await router.dispatchMessage(msg, { ...forMessage(app, msg), actor: people.resolve(sender) });
    return h
      .messages({ kind: 'reply' })
      .slice(before)
      .map((m) =>
        m.kind === 'reply' ? (m.msgType === 'text' ? JSON.parse(m.content).text : JSON.parse(m.content)) : '',
      );
  }
  return { h, send, id };
}

const title = (card: unknown) => (card as { header: { title: { content: string } } }).header.title.content;

describe('/report', () => {
  it('answers the daily and weekly digest cards', async () => {
    const { send } = setup();
    const [daily] = await send('/report daily');
    expect(title(daily)).toBe('Daily report · 2026-11-24');
    const [weekly] = await send('/report WEEKLY');
    expect(title(weekly)).toMatch(/^Weekly report · 2026-11-16 – 2026-11-22$/);
  });

  it('answers the usage line to anything else, and refuses a stranger', async () => {
    const { send } = setup();
    expect(await send('/report monthly')).toEqual(['Usage: /report daily|weekly']);
    expect(await send('/report')).toEqual(['Usage: /report daily|weekly']);
    const [refusal] = await send('/report daily', 'ou_stranger');
    expect(refusal).toMatch(/viewer role/);
  });

  it('says plainly when reports are not wired', async () => {
    const { send } = setup({ reports: false });
    expect(await send('/report daily')).toEqual(['Reports are not available in this build.']);
  });
});

describe('/incident <id> report|postmortem', () => {
  it('answers the incident card, its report, or the usage line', async () => {
    const { send, id } = setup();
    expect(title((await send(`/incident ${id}`))[0])).toMatch(/^\[P\d\]/);
    const [report] = await send(`/incident ${id} report`);
    expect(title(report)).toMatch(new RegExp(`^Incident report #${id} · `));
    expect(JSON.stringify(report)).toContain('"action":"vote"');
    expect(await send(`/incident ${id} summary`)).toEqual(['Usage: /incident <id> [report|postmortem]']);
    expect(await send('/incident 999 report')).toEqual(['Incident #999 does not exist.']);
  });

  it('without an LLM, sends the draft built from the timeline', async () => {
    const { h, send, id } = setup();
    resolve(h, id, 'ou_admin', 'fixed the config map');
    const [card] = await send(`/incident ${id} postmortem`);
    expect(title(card)).toBe(`Postmortem draft #${id}`);
    const doc = JSON.stringify(card);
    expect(doc).toContain('Built from the timeline');
    for (const section of ['Summary', 'Impact', 'Timeline', 'Root cause', 'What went well', 'Action items']) {
      expect(doc).toContain(`## ${section}`);
    }
    expect(doc).toContain('fixed the config map');
  });

  it('with an LLM, says it is writing, hands it the redacted draft with no tools, and sends its write-up', async () => {
    const seen: ChatRequest[] = [];
    const llm: LlmPort = {
      async chat(req) {
        seen.push(req);
        return {
          message: { content: '# Postmortem\n\n## Summary\nThe shop went down. <at id=all></at>' },
          finishReason: 'stop',
          usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
          model: 'scripted',
        };
      },
    };
    const { h, send, id } = setup({ llm });
    resolve(h, id, 'ou_admin', 'rotated password=hunter22 on the db');
    const replies = await send(`/incident ${id} postmortem`);
    expect(replies[0]).toBe(`Writing the postmortem of #${id} up with the LLM…`);
    expect(title(replies[1])).toBe(`Postmortem draft #${id}`);
    const doc = JSON.stringify(replies[1]);
    expect(doc).toContain('Written up by the LLM');
    expect(doc).toContain('The shop went down.');
    expect(doc).not.toContain('<at id=all>');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.tools).toBeUndefined();
    expect(seen[0]?.toolChoice).toBe('none');
    const draft = seen[0]?.messages[1]?.content as string;
    expect(draft).toContain('## Timeline');
    expect(draft).not.toContain('hunter22');
  });

  it('when the LLM fails, sends the timeline draft and says why', async () => {
    const llm: LlmPort = {
      async chat() {
        throw new Error('upstream 502 Bad Gateway');
      },
    };
    const { send, id } = setup({ llm });
    const replies = await send(`/incident ${id} postmortem`);
    const doc = JSON.stringify(replies[1]);
    expect(doc).toContain('The LLM could not write the postmortem up (upstream 502 Bad Gateway)');
    expect(doc).toContain('## Action items');
  });
});
