import { describe, expect, it } from 'vitest';
import type { ActorResolver } from '../../../src/access/actor.js';
import { type CardActionResult, type IncomingMessage, Router } from '../../../src/app/router.js';
import { decryptEvent } from '../../../src/feishu/crypto.js';
import { FeishuReceiver } from '../../../src/feishu/receiver.js';
import { isCodedError } from '../../../src/shared/errors.js';
import { testContext } from '../../helpers/app-context.js';
import {
  BOT_OPEN_ID,
  cardEvent,
  clone,
  ENCRYPT_KEY,
  examples,
  messageEvent,
  sealed,
  VERIFICATION_TOKEN,
} from '../../helpers/feishu.js';

function setup(env: Record<string, string> = {}, options: { cardDeadlineMs?: number; actors?: ActorResolver } = {}) {
  const ctx = testContext({ FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN, ...env });
  const seen: IncomingMessage[] = [];
  const router = new Router().onMessage(async ({ message: m, next }) => {
    seen.push(m);
    await next();
  });
  const receiver = new FeishuReceiver({ ctx, router, botOpenId: async () => BOT_OPEN_ID, ...options });
  const deliver = (body: unknown, headers: Record<string, string> = {}) => {
    const raw = Buffer.from(JSON.stringify(body));
    return receiver.handleWebhook(raw, JSON.parse(raw.toString()), (h) => headers[h.toLowerCase()]);
  };
  const deliverRaw = (raw: string, headers: Record<string, string>) =>
    receiver.handleWebhook(Buffer.from(raw), JSON.parse(raw), (h) => headers[h.toLowerCase()]);
  return { ctx, router, receiver, seen, deliver, deliverRaw };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isCodedError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'accepted';
}

describe('receiver: url verification', () => {
  it('answers the plain challenge', async () => {
    const { deliver } = setup();
    expect(await deliver(examples.url_verification_plain.body)).toEqual({
      challenge: examples.url_verification_plain.body.challenge,
    });
  });

  it('answers the encrypted challenge in plain JSON', async () => {
    const { deliver } = setup({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
    const ex = examples.url_verification_encrypted;
    expect(decryptEvent(ENCRYPT_KEY, ex.body.encrypt)).toContain(ex.decrypted.challenge);
    expect(await deliver(ex.body)).toEqual({ challenge: ex.decrypted.challenge });
  });

  it('refuses a challenge with the wrong token, naming the key to check', async () => {
    const { deliver } = setup();
    const body = { ...examples.url_verification_plain.body, token: 'wrong' };
    expect(await refusal(deliver(body))).toMatch(/^token_mismatch: .*FEISHU_VERIFICATION_TOKEN/);
  });
});

describe('receiver: security', () => {
  it('accepts a correctly signed encrypted event and refuses forged, stale and wrong-token ones', async () => {
    const { ctx, deliverRaw, receiver, seen } = setup({ FEISHU_ENCRYPT_KEY: ENCRYPT_KEY });
    const ok = sealed(messageEvent({ messageId: 'om_ok' }), ctx.clock.now());
    expect(await deliverRaw(ok.raw, ok.headers)).toEqual({});

    const forged = sealed(messageEvent({ messageId: 'om_forged' }), ctx.clock.now(), 'another-key');
    expect(await refusal(deliverRaw(forged.raw, forged.headers))).toMatch(/^signature_mismatch: .*FEISHU_ENCRYPT_KEY/);

    const tampered = sealed(messageEvent({ messageId: 'om_tampered' }), ctx.clock.now());
    const signature = tampered.headers['x-lark-signature'] ?? '';
    // Change the last hex digit (always to a different one).
    tampered.headers['x-lark-signature'] = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    expect(await refusal(deliverRaw(tampered.raw, tampered.headers))).toMatch(/^signature_mismatch: signature/);

    const stale = sealed(messageEvent({ messageId: 'om_stale' }), ctx.clock.now() - 10 * 60_000);
    expect(await refusal(deliverRaw(stale.raw, stale.headers))).toMatch(/^signature_mismatch: .*timestamp/);

    const wrongToken = messageEvent({ messageId: 'om_token' });
    wrongToken.header.token = 'vt_wrong';
    const w = sealed(wrongToken, ctx.clock.now());
    expect(await refusal(deliverRaw(w.raw, w.headers))).toMatch(/^token_mismatch/);

    const unsigned = sealed(messageEvent({ messageId: 'om_unsigned' }), ctx.clock.now());
    expect(await refusal(deliverRaw(unsigned.raw, { 'content-type': 'application/json' }))).toMatch(
      /^signature_mismatch/,
    );

    await receiver.idle();
    expect(seen.map((m) => m.messageId)).toEqual(['om_ok']);
    for (const id of ['om_forged', 'om_tampered', 'om_stale', 'om_token', 'om_unsigned']) {
      expect(ctx.store.events.get(id)).toBeUndefined();
    }
  });

  it('refuses an encrypted body when no Encrypt Key is configured', async () => {
    const { ctx, deliverRaw } = setup();
    const s = sealed(messageEvent({}), ctx.clock.now());
    expect(await refusal(deliverRaw(s.raw, s.headers))).toMatch(/FEISHU_ENCRYPT_KEY is not set/);
  });
});

describe('receiver: messages', () => {
  it('hands a group mention to the router once even when delivered four times', async () => {
    const { deliver, receiver, seen, ctx } = setup();
    const body = clone(examples.im_message_receive_v1_group_text_bot_mention.body);
    for (let i = 0; i < 4; i++) {
      const again = clone(body);
      again.header.event_id = `redelivery-${i}`; // Feishu may change the event id; the message id is the key
      expect(await deliver(again)).toEqual({});
    }
    await receiver.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      messageId: body.event.message.message_id,
      chatType: 'group',
      mentionedBot: true,
      senderOpenId: 'ou_84aad35d084aa403a838cf73ee18467a',
      text: 'ack INC-1042 and page @Li Lei',
    });
    expect(ctx.store.events.get(body.event.message.message_id)?.status).toBe('handled');
  });

  it('handles p2p messages, ignores group messages not addressed to the bot and its own messages', async () => {
    const { deliver, receiver, seen, ctx } = setup();
    await deliver(clone(examples.im_message_receive_v1_p2p_text.body));
    await deliver(messageEvent({ messageId: 'om_chatter', eventId: 'e2', mentionBot: false, text: 'lunch? @_user_2' }));
    await deliver(messageEvent({ messageId: 'om_self', eventId: 'e3', senderOpenId: BOT_OPEN_ID }));
    await receiver.idle();
    expect(seen.map((m) => [m.chatType, m.text])).toEqual([['p2p', 'oncall who']]);
    expect(ctx.store.events.get('om_chatter')?.status).toBe('handled');
  });

  it('records a failed handling with its error instead of losing it', async () => {
    const { ctx, receiver, deliver, router } = setup();
    router.onMessage(async () => {
      throw new Error('agent unavailable');
    });
    await deliver(messageEvent({ messageId: 'om_fail' }));
    await receiver.idle();
    expect(ctx.store.events.get('om_fail')).toMatchObject({ status: 'failed', error: 'agent unavailable' });
  });

  it('resumes events acknowledged but unfinished before a restart', async () => {
    const first = setup();
    const body = messageEvent({ messageId: 'om_resume' });
    first.ctx.store.events.claim('om_resume', 'im.message.receive_v1', JSON.stringify(body), first.ctx.clock.now());
    const seen: IncomingMessage[] = [];
    const restarted = new FeishuReceiver({
      ctx: first.ctx,
      router: new Router().onMessage(async ({ message: m, next }) => {
        seen.push(m);
        await next();
      }),
      botOpenId: async () => BOT_OPEN_ID,
    });
    expect(restarted.resumeUnfinished()).toBe(1);
    await restarted.idle();
    expect(seen.map((m) => m.messageId)).toEqual(['om_resume']);
    expect(first.ctx.store.events.get('om_resume')?.status).toBe('handled');
  });
});

describe('receiver: card callbacks', () => {
  it('answers a click with the handler toast and card', async () => {
    const { router, deliver } = setup();
    router.onCardAction('ack', async ({ action, click }) => ({
      toast: { type: 'success', content: `acked ${action.incidentId} by ${click.operatorOpenId}` },
      card: { schema: '2.0', config: { update_multi: true }, body: { elements: [] } },
    }));
    const res = await deliver(cardEvent({ action: 'ack', incidentId: 1042 }));
    expect(res).toEqual({
      toast: { type: 'success', content: 'acked 1042 by ou_84aad35d084aa403a838cf73ee18467a' },
      card: { type: 'raw', data: { schema: '2.0', config: { update_multi: true }, body: { elements: [] } } },
    });
  });

  it('answers {} to a duplicate delivery of the same click and a warning toast to a foreign button', async () => {
    const { router, deliver } = setup();
    let calls = 0;
    router.onCardAction('ack', async () => {
      calls++;
      return {};
    });
    const ev = cardEvent({ action: 'ack', incidentId: 1 }, 'ev_same');
    expect(await deliver(ev)).toEqual({});
    expect(await deliver(ev)).toEqual({});
    expect(calls).toBe(1);
    const foreign = await deliver(cardEvent(examples.card_action_trigger_button.body.event.action.value));
    expect((foreign.toast as { type: string }).type).toBe('warning');
  });

  it('answers before the deadline when the handler is slow, then delivers its card by delayed update', async () => {
    const { ctx, router, deliver, receiver } = setup({}, { cardDeadlineMs: 2500 });
    let finish: (r: CardActionResult) => void = () => {};
    router.onCardAction('investigate', () => new Promise((resolve) => (finish = resolve)));
    const answer = deliver(cardEvent({ action: 'investigate', incidentId: 9 }, 'ev_slow'));
    // The click is stored (one event-loop turn) and the handler started before the deadline clock runs.
    while (ctx.clock.pendingTimers() === 0) await new Promise((r) => setImmediate(r));
    await ctx.clock.advance(2499);
    let answered = false;
    void answer.then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    await ctx.clock.advance(1);
    expect(await answer).toEqual({ toast: { type: 'info', content: 'Working on it…' } });
    finish({ card: { schema: '2.0', config: { update_multi: true }, body: { elements: [] } } });
    await receiver.idle();
    const queued = ctx.store.outbox.due(Number.MAX_SAFE_INTEGER, 10);
    expect(queued.map((q) => q.kind)).toEqual(['card_update_token']);
    expect(queued[0]?.payload.token).toBe(examples.card_action_trigger_button.body.event.token);
    expect(ctx.store.events.get('ev_slow')?.status).toBe('handled');
  });
});

describe('receiver: the per-event context', () => {
  it('hands each handler its event id, the actor (with the configured person), the chat and a live signal', async () => {
    const people = [{ id: 'ou_alice', name: 'Alice', roles: ['operator' as const] }];
    const {
      receiver: r,
      router,
      deliver,
    } = setup(
      {},
      {
        actors: {
          resolve: (openId) => (openId === 'ou_alice' ? { openId, person: people[0] } : { openId: openId ?? '' }),
        },
      },
    );
    const seen: unknown[] = [];
    router.onMessage(async ({ ctx }) => {
      seen.push({ eventId: ctx.eventId, actor: ctx.actor, chatId: ctx.chatId, aborted: ctx.signal.aborted });
    });
    router.onCardAction('ack', async ({ ctx }) => {
      seen.push({ eventId: ctx.eventId, actor: ctx.actor.openId, due: ctx.deadline > ctx.clock.now() });
      return {};
    });
    await deliver(
      messageEvent({ eventId: 'ev_msg_1', messageId: 'om_ctx', senderOpenId: 'ou_alice', chatId: 'oc_ctx' }),
    );
    await r.idle();
    await deliver(cardEvent({ action: 'ack', incidentId: 1 }, 'ev_card_ctx'));
    expect(seen[0]).toEqual({
      eventId: 'ev_msg_1',
      actor: { openId: 'ou_alice', person: people[0] },
      chatId: 'oc_ctx',
      aborted: false,
    });
    expect(seen[1]).toMatchObject({ eventId: 'ev_card_ctx', due: true });
    r.abort();
  });
});
