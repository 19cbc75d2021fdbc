import { describe, expect, it } from 'vitest';
import { registerDefaults } from '../../../src/app/defaults.js';
import { type CardClick, type IncomingMessage, parseCommand, Router } from '../../../src/app/router.js';
import { forClick, forMessage, testContext } from '../../helpers/app-context.js';

const click: CardClick = {
  operatorOpenId: 'ou_op',
  messageId: 'om_card',
  chatId: 'oc_chat',
  token: 'c-token',
  eventId: 'ev_1',
};

function message(text: string, over: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    eventId: 'ev_m',
    messageId: 'om_msg',
    chatId: 'oc_chat',
    chatType: 'group',
    senderOpenId: 'ou_user',
    messageType: 'text',
    text,
    mentions: [],
    mentionedBot: true,
    createTime: 0,
    ...over,
  };
}

function replies(ctx: ReturnType<typeof testContext>) {
  const rows = ctx.store.db.prepare("SELECT payload FROM outbox WHERE status = 'pending' ORDER BY id").all() as {
    payload: string;
  }[];
  return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}

describe('router: card actions', () => {
  it('hands a typed action and the click to the registered handler', async () => {
    const ctx = testContext();
    const seen: unknown[] = [];
    const router = new Router().onCardAction('silence', async ({ action, click: c }) => {
      seen.push([action.duration, action.incidentId, c.operatorOpenId]);
      return { toast: { type: 'success', content: 'silenced' } };
    });
    const r = await router.dispatchCardAction(
      { action: 'silence', incidentId: 3, duration: '1h' },
      click,
      forClick(ctx, click),
    );
    expect(r).toEqual({ toast: { type: 'success', content: 'silenced' } });
    expect(seen).toEqual([['1h', 3, 'ou_op']]);
  });

  it('answers an unknown button, a missing handler and a failing handler with a toast instead of throwing', async () => {
    const ctx = testContext();
    const router = new Router().onCardAction('ack', async () => {
      throw new Error('db locked');
    });
    expect((await router.dispatchCardAction({ action: 'nope' }, click, forClick(ctx, click))).toast?.type).toBe(
      'warning',
    );
    expect(
      (await router.dispatchCardAction({ action: 'approve', approvalId: 'a' }, click, forClick(ctx, click))).toast
        ?.type,
    ).toBe('info');
    const failed = await router.dispatchCardAction({ action: 'ack', incidentId: 1 }, click, forClick(ctx, click));
    expect(failed.toast?.type).toBe('error');
    expect(failed.toast?.content).toContain('ev_1');
  });
});

describe('router: messages', () => {
  it('parses commands', () => {
    expect(parseCommand(' /Silence 42  2h ')).toEqual({ name: 'silence', args: ['42', '2h'], rest: '42  2h' });
    expect(parseCommand('hello /help')).toBeUndefined();
  });

  it('recognises a command after leading mentions, and only there', () => {
    const help = { name: 'help', args: [], rest: '' };
    expect(parseCommand('@sre-nanobot /help')).toEqual(help);
    expect(parseCommand(' @bot  /help')).toEqual(help);
    expect(parseCommand('@_user_1 @bot /Silence 42 2h')).toEqual({
      name: 'silence',
      args: ['42', '2h'],
      rest: '42 2h',
    });
    expect(parseCommand('@Alice\n/ack 7')).toEqual({ name: 'ack', args: ['7'], rest: '7' });
    expect(parseCommand('@bot please /help')).toBeUndefined();
    expect(parseCommand('@bot')).toBeUndefined();
    expect(parseCommand('mail@example.com /help')).toBeUndefined();
  });

  it('/help replies with a card listing the registered commands', async () => {
    const ctx = testContext();
    const router = registerDefaults(new Router());
    router.onCommand('oncall', async () => {}, { usage: '/oncall', summary: 'command.help' });
    await router.dispatchMessage(message('/help'), forMessage(ctx, message('/help')));
    const [reply] = replies(ctx);
    expect(reply).toMatchObject({ kind: 'reply', messageId: 'om_msg', msgType: 'interactive' });
    const content = String(reply?.content);
    expect(content).toContain('/help');
    expect(content).toContain('/oncall');
  });

  it('a plain mention gets the fallback reply saying what the bot can do; an unknown command says so', async () => {
    const ctx = testContext();
    const router = registerDefaults(new Router());
    await router.dispatchMessage(message('what is broken?'), forMessage(ctx, message('what is broken?')));
    await router.dispatchMessage(
      message('/frobnicate', { messageId: 'om_2' }),
      forMessage(ctx, message('/frobnicate', { messageId: 'om_2' })),
    );
    const [fallback, unknown] = replies(ctx);
    expect(JSON.parse(String(fallback?.content)).text).toMatch(/^<at user_id="ou_user"><\/at> Today I can: .*\/help/);
    expect(JSON.parse(String(unknown?.content)).text).toContain('/frobnicate');
  });

  it('a registered command runs instead of the fallback', async () => {
    const ctx = testContext();
    const router = registerDefaults(new Router());
    const got: string[][] = [];
    router.onCommand('ack', async ({ command }) => void got.push(command.args), {
      usage: '/ack <id>',
      summary: 'command.help',
    });
    await router.dispatchMessage(message('/ack 42'), forMessage(ctx, message('/ack 42')));
    expect(got).toEqual([['42']]);
    expect(replies(ctx)).toEqual([]);
  });

  it('messages go through a chain: a link takes a message or passes it on; the defaults answer the rest', async () => {
    const ctx = testContext();
    const router = registerDefaults(new Router());
    const agent: string[] = [];
    router.onMessage(async ({ message, ctx: ev, next }) => {
      if (!message.text.includes('pods')) return next();
      agent.push(`${ev.actor.openId}:${ev.eventId}:${message.text}`);
    });
    const first = message('why are the pods crashing?');
    await router.dispatchMessage(first, forMessage(ctx, first));
    const other = message('hello', { messageId: 'om_2' });
    await router.dispatchMessage(other, forMessage(ctx, other));
    expect(agent).toEqual([`ou_user:${first.eventId}:why are the pods crashing?`]);
    const [fallback, ...more] = replies(ctx);
    expect(more).toEqual([]);
    expect(JSON.parse(String(fallback?.content)).text).toContain('Today I can');
  });
});
