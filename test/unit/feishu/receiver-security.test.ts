/**
 * The receiver with an Encrypt Key, as Feishu uses it: every body encrypted and signed. Plain bodies are refused,
 * and what is kept of an event in SQLite holds neither the Verification Token nor a card's update token.
 */
import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/app/router.js';
import { encryptEvent, signBody } from '../../../src/feishu/crypto.js';
import { FeishuReceiver } from '../../../src/feishu/receiver.js';
import { WorkQueue } from '../../../src/feishu/work-queue.js';
import { isCodedError } from '../../../src/shared/errors.js';
import type { Store } from '../../../src/store/index.js';
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

const CARD_TOKEN: string = examples.card_action_trigger_button.body.event.token;

function setup(env: Record<string, string> = { FEISHU_ENCRYPT_KEY: ENCRYPT_KEY }) {
  const ctx = testContext({ FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN, ...env });
  const receiver = new FeishuReceiver({ ctx, router: new Router(), botOpenId: async () => BOT_OPEN_ID });
  const deliverRaw = (raw: string, headers: Record<string, string>) =>
    receiver.handleWebhook(Buffer.from(raw), JSON.parse(raw), (h) => headers[h.toLowerCase()]);
  const deliverSealed = (event: unknown) => {
    const s = sealed(event, ctx.clock.now());
    return deliverRaw(s.raw, s.headers);
  };
  /** Plain JSON, even signed with the right key (as if the sender knew it). */
  const deliverPlainSigned = (event: unknown) => {
    const raw = JSON.stringify(event);
    const timestamp = String(Math.floor(ctx.clock.now() / 1000));
    return deliverRaw(raw, {
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': 'n0nce',
      'x-lark-signature': signBody(timestamp, 'n0nce', ENCRYPT_KEY, raw),
    });
  };
  return { ctx, receiver, deliverRaw, deliverSealed, deliverPlainSigned };
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

/** Every value of every row of every table, as one string. */
function dump(store: Store): string {
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  return tables.map((t) => JSON.stringify(store.db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
}

describe('receiver with FEISHU_ENCRYPT_KEY: plain bodies are refused', () => {
  it('refuses a plain event, a plain card click and a plain challenge with 401, storing nothing', async () => {
    const { ctx, deliverPlainSigned, receiver } = setup();
    const plain = {
      message: messageEvent({ messageId: 'om_plain' }),
      card: cardEvent({ action: 'ack', incidentId: 1 }, 'ev_plain_card'),
      challenge: clone(examples.url_verification_plain.body),
    };
    for (const [name, body] of Object.entries(plain)) {
      expect(await refusal(deliverPlainSigned(body)), name).toMatch(
        /^unauthorized: unencrypted request refused: FEISHU_ENCRYPT_KEY is set/,
      );
    }
    await receiver.idle();
    expect(ctx.store.events.get('om_plain')).toBeUndefined();
    expect(ctx.store.events.get('ev_plain_card')).toBeUndefined();
  });

  it('still answers the encrypted challenge and accepts encrypted, signed events', async () => {
    const { deliverSealed, deliverRaw, receiver, ctx } = setup();
    const challenge = examples.url_verification_encrypted;
    expect(await deliverRaw(JSON.stringify(challenge.body), {})).toEqual({ challenge: challenge.decrypted.challenge });
    expect(await deliverSealed(messageEvent({ messageId: 'om_sealed' }))).toEqual({});
    await receiver.idle();
    expect(ctx.store.events.get('om_sealed')?.status).toBe('handled');
  });

  it('without an Encrypt Key, plain events are accepted as before', async () => {
    const { deliverRaw, receiver, ctx } = setup({});
    const body = messageEvent({ messageId: 'om_plain_ok' });
    expect(await deliverRaw(JSON.stringify(body), {})).toEqual({});
    await receiver.idle();
    expect(ctx.store.events.get('om_plain_ok')).toBeDefined();
  });

  it('answers 400, not a crash, when the decrypted body is not a JSON object', async () => {
    const { deliverRaw } = setup();
    for (const inner of ['null', '[1,2]', '"text"']) {
      const raw = JSON.stringify({ encrypt: encryptEvent(ENCRYPT_KEY, inner) });
      expect(await refusal(deliverRaw(raw, {})), inner).toBe('bad_request: the decrypted event is not a JSON object');
    }
  });

  it('answers 400 naming the depth limit for a button value nested 20,000 deep, and stores nothing', async () => {
    const { ctx, deliverRaw } = setup();
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const inner = JSON.stringify(cardEvent('DEEP', 'ev_deep')).replace('"DEEP"', deep);
    const raw = JSON.stringify({ encrypt: encryptEvent(ENCRYPT_KEY, inner) });
    const timestamp = String(Math.floor(ctx.clock.now() / 1000));
    const headers = {
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': 'n0nce',
      'x-lark-signature': signBody(timestamp, 'n0nce', ENCRYPT_KEY, raw),
    };
    expect(await refusal(deliverRaw(raw, headers))).toMatch(
      /^malformed_json: the decrypted event nests deeper than 64 levels/,
    );
    expect(ctx.store.events.get('ev_deep')).toBeUndefined();
  });
});

describe('stored events hold no tokens', () => {
  it('stores events without header.token and clicks without the card token; no table holds the token', async () => {
    const { ctx, deliverSealed, deliverRaw, receiver } = setup();
    const message = messageEvent({ messageId: 'om_stored' });
    expect(message.header.token).toBe(VERIFICATION_TOKEN);
    await deliverSealed(message);
    const click = cardEvent({ action: 'ack', incidentId: 5 }, 'ev_stored_card');
    await deliverSealed(click);
    await deliverRaw(JSON.stringify(examples.url_verification_encrypted.body), {});
    // The long connection hands envelopes over without the webhook's wrapping.
    await receiver.handleEnvelope(messageEvent({ messageId: 'om_ws', eventId: 'ev_ws' }), 'websocket');
    await receiver.idle();

    const stored = JSON.parse(ctx.store.events.get('om_stored')?.payload ?? '{}');
    expect(stored.header).toEqual({ ...message.header, token: undefined });
    expect(stored.header).not.toHaveProperty('token');
    expect(stored.event.message.message_id).toBe('om_stored');
    const storedClick = JSON.parse(ctx.store.events.get('ev_stored_card')?.payload ?? '{}');
    expect(storedClick.event).not.toHaveProperty('token');
    expect(storedClick.event.action.value).toEqual({ action: 'ack', incidentId: 5 });
    expect(ctx.store.events.get('om_ws')?.payload).toBeDefined();

    const everything = dump(ctx.store);
    expect(everything).toContain('om_stored');
    expect(everything).not.toContain(VERIFICATION_TOKEN);
    expect(everything).not.toContain(CARD_TOKEN);
  });

  it('a stored event without its token is still resumed after a restart', async () => {
    const { ctx } = setup();
    // Claimed, then the process stopped before handling it (its queue never ran): a new receiver resumes it.
    const first = new FeishuReceiver({
      ctx,
      router: new Router(),
      botOpenId: async () => BOT_OPEN_ID,
      queue: new WorkQueue(0),
    });
    const s = sealed(messageEvent({ messageId: 'om_resumed' }), ctx.clock.now());
    await first.handleWebhook(Buffer.from(s.raw), JSON.parse(s.raw), (h) => s.headers[h.toLowerCase()]);
    expect(ctx.store.events.get('om_resumed')?.status).toBe('received');
    const restarted = new FeishuReceiver({ ctx, router: new Router(), botOpenId: async () => BOT_OPEN_ID });
    expect(restarted.resumeUnfinished()).toBe(1);
    await restarted.idle();
    expect(ctx.store.events.get('om_resumed')?.status).toBe('handled');
  });
});
