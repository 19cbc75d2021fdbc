import { describe, expect, it } from 'vitest';
import { PeopleDirectory } from '../../../src/access/people.js';
import type { AppContext } from '../../../src/app/context.js';
import { registerDefaults } from '../../../src/app/defaults.js';
import { type IncomingMessage, Router } from '../../../src/app/router.js';
import { COMMANDS, registerCommands } from '../../../src/commands/index.js';
import { tokenize } from '../../../src/commands/parse.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { incidentCardKey } from '../../../src/incidents/publish.js';
import type { ToolHost } from '../../../src/ports/tools.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { DEFAULT_YAML, fixture, harness } from '../../helpers/alerts.js';
import { forMessage } from '../../helpers/app-context.js';

const YAML = `${DEFAULT_YAML}
people:
  - id: ou_admin
    roles: [admin]
  - id: ou_viewer
    roles: [viewer]
`;

function setup(options: { tools?: ToolHost } = {}) {
  const h = harness({ yaml: YAML });
  const router = registerDefaults(new Router());
  registerCommands(router, COMMANDS, { incidents: h, alertmanager: undefined });
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
  return { h, router, send, id };
}

describe('tokenize', () => {
  it('reads kind/name, -n, --namespace=, key=value, quotes and full-width punctuation', () => {
    expect(tokenize('deploy/web -n shop --tail 50 --previous --grep "time out" app=web')).toEqual({
      positional: ['deploy/web'],
      flags: { namespace: 'shop', tail: '50', previous: true, grep: 'time out' },
      kv: { app: 'web' },
    });
    expect(tokenize('12，fixed　it --namespace=prod')).toEqual({
      positional: ['12', 'fixed', 'it'],
      flags: { namespace: 'prod' },
      kv: {},
    });
  });
});

describe('slash commands', () => {
  it('/help lists exactly the registered commands; /help <command> gives its usage', async () => {
    const { send } = setup();
    const [card] = await send('/help');
    for (const name of ['/status', '/incidents', '/ack', '/logs', '/oncall', '/reset']) expect(card).toContain(name);
    expect(card).not.toContain('/diagnose');
    expect(await send('/help ack')).toEqual(['/ack [id] — acknowledge an incident']);
  });

  it('an unknown command suggests the closest ones', async () => {
    const { send } = setup();
    const [reply] = await send('/incidnets');
    expect(reply).toContain('/incidnets');
    expect(reply).toContain('/incidents');
  });

  it('/ack acknowledges by id, in p2p and in a group, with a full-width slash', async () => {
    const { h, send, id } = setup();
    expect(await send(`／ack ${id}`, { chatType: 'p2p' })).toEqual([`Incident #${id} acknowledged.`]);
    expect(h.store.incidents.get(id)?.status).toBe('acknowledged');
    expect((await send(`@sre-nanobot /ack #${id}`))[0]).toContain('already acknowledged');
  });

  it('bad arguments get the one-line usage', async () => {
    const { send } = setup();
    expect(await send('/ack twelve')).toEqual(['Usage: /ack [id]']);
    expect(await send('/silence forever')).toEqual(['Usage: /silence <duration> [id]']);
    expect(await send('/incidents sideways')).toEqual(['Usage: /incidents [open|acked|resolved] [P0-P3]']);
  });

  it('a refusal names the role needed and is audited; nothing changes', async () => {
    const { h, send, id } = setup();
    const [reply] = await send(`/resolve ${id}`, { senderOpenId: 'ou_viewer' });
    expect(reply).toContain('operator');
    expect(h.store.incidents.get(id)?.status).toBe('open');
    const rows = h.store.db.prepare("SELECT action, decision FROM audit_log WHERE decision = 'denied'").all();
    expect(rows).toEqual([{ action: 'command.resolve', decision: 'denied' }]);
  });

  it('in an incident thread the incident is implied', async () => {
    const { h, send, id } = setup();
    h.store.cards.record(incidentCardKey(id), 'oc_shop', 'om_card', h.clock.now());
    expect(await send('/resolve rolled back，all good', { rootId: 'om_card', threadId: 'omt_1' })).toEqual([
      `Incident #${id} resolved.`,
    ]);
    expect(h.store.incidents.get(id)?.resolveNote).toBe('rolled back all good');
    expect((await send('/ack'))[0]).toContain('Which incident?');
  });

  it('/incidents filters by state and priority; /incident shows the card', async () => {
    const { send, id } = setup();
    const [list] = await send('/incidents open');
    expect(list).toContain(`#${id}`);
    expect(await send('/incidents resolved')).toEqual(['No incidents match.']);
    const [card] = await send(`/incident ${id}`);
    expect(card).toContain(`#${id}`);
  });

  it('/status counts open incidents by priority, per namespace', async () => {
    const { h, send, id } = setup();
    const p = h.store.incidents.get(id)?.priority as string;
    const [all] = await send('/status');
    expect(all).toContain(`${p} 1`);
    expect((await send('/status other'))[0]).toContain(`${p} 0`);
  });

  it('/logs asks the tools as the person, says it is working, and replies with a code block', async () => {
    const calls: unknown[] = [];
    const tools: ToolHost = {
      list: () => [],
      async call(name, args, caller) {
        calls.push([name, args, caller]);
        return { kind: 'ok', tool: name, data: {}, text: 'line one\nline two', truncated: false, dryRun: false };
      },
    };
    const { send } = setup({ tools });
    const replies = await send('/logs web-1 -n shop --tail 20 --grep err');
    expect(replies[0]).toBe('Working on it…');
    const card = JSON.parse(replies[1] as string) as { body: { elements: { content: string }[] } };
    expect(card.body.elements[0]?.content).toBe('```\nline one\nline two\n```');
    expect(calls).toEqual([
      [
        'k8s.pod_logs',
        { name: 'web-1', namespace: 'shop', tail: 20, grep: 'err' },
        { kind: 'command', person: 'ou_admin' },
      ],
    ]);
    expect(await send('/logs web-1 --tail lots -n shop')).toEqual([expect.stringContaining('Usage: /logs')]);
  });

  it('/logs, /events and /top without cluster tools say so', async () => {
    const { send } = setup();
    expect((await send('/events -n shop'))[0]).toContain('No cluster tools');
    expect((await send('/top nodes'))[0]).toContain('No cluster tools');
  });

  it('/oncall lists the routes on-call; /whoami names the roles; /reset forgets the conversation', async () => {
    const { h, send } = setup();
    const [oncall] = await send('/oncall shop');
    expect(oncall).toContain('ou_alice');
    expect((await send('/oncall nowhere'))[0]).toContain('No route named nowhere');
    expect((await send('/whoami', { senderOpenId: 'ou_viewer' }))[0]).toContain('roles viewer');
    const conv = h.store.conversations.getOrCreate('oc_shop', '', h.clock.now());
    h.store.conversations.addMessage(
      conv.id,
      { role: 'user', author: 'ou_admin', content: 'hi', toolCalls: null, toolCallId: null },
      0,
    );
    expect(await send('/reset')).toEqual(['Done: I forgot our conversation here.']);
    expect(h.store.conversations.recent(h.store.conversations.getOrCreate('oc_shop', '', 1).id, 10)).toEqual([]);
  });
});
