/**
 * The gateway end to end: the real app (startApp) against the Feishu emulator, events delivered the way
 * Feishu delivers them and every outgoing call going through the emulator's Open API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { type FeishuEmulator, urlVerification, wireBody } from '../../src/sandbox/feishu/index.js';
import { ALICE, BOB, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually, startAppAgainst } from '../helpers/gateway-app.js';

const ENCRYPT_KEY = 'gateway-encrypt-key';
const P2P_CHAT = 'oc_p2p_alice_bot';
const OPS_CHAT = 'oc_ops_second_group';

let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
  app = undefined;
  emu = undefined;
});

async function setup(options: { encrypt?: boolean; allGroupMessages?: boolean } = {}) {
  const world = testWorld();
  emu = await startTestEmulator({
    app: { ...world.app, ...(options.encrypt === false ? {} : { encryptKey: ENCRYPT_KEY }) },
    chats: [
      ...world.chats,
      { chatId: P2P_CHAT, name: 'Alice', type: 'p2p', members: [ALICE.openId] },
      { chatId: OPS_CHAT, name: 'Ops', type: 'group', members: [ALICE.openId, BOB.openId] },
    ],
    ...(options.allGroupMessages ? { allGroupMessages: true } : {}),
  });
  app = await startAppAgainst(emu);
  return { emu, app };
}

const botMessages = (e: FeishuEmulator, chatId: string) => e.messages(chatId).filter((m) => m.sender.type === 'bot');
const textOf = (content: string) => (JSON.parse(content) as { text?: string }).text ?? '';

describe('Feishu gateway through the emulator', () => {
  it('answers the url verification challenge, plain and encrypted', async () => {
    const plain = await setup({ encrypt: false });
    expect(await urlVerification(plain.emu)).toMatchObject({ ok: true, status: 200 });
    await app?.stop();
    await emu?.close();
    const encrypted = await setup({ encrypt: true });
    expect(await urlVerification(encrypted.emu)).toMatchObject({ ok: true, status: 200 });
    expect(await urlVerification(encrypted.emu, 'card')).toMatchObject({ ok: true, status: 200 });
  });

  it('answers a group mention once even when it is delivered four times', async () => {
    const { emu } = await setup();
    const sent = emu.sendUserMessage({
      chatId: ONCALL_CHAT,
      from: ALICE.openId,
      text: 'what can you do?',
      mentionBot: true,
    });
    expect(await sent.delivered).toMatchObject({ ok: true, status: 200 });
    for (let i = 0; i < 3; i++) expect(await emu.redeliver(sent.eventId)).toMatchObject({ ok: true, status: 200 });
    const [reply] = await eventually(() => {
      const r = botMessages(emu, ONCALL_CHAT);
      return r.length > 0 && r;
    });
    expect(reply?.parentId ?? reply?.rootId).toBe(sent.messageId);
    expect(textOf(reply?.content ?? '{}')).toContain('/help');
    await app?.feishu.receiver.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(botMessages(emu, ONCALL_CHAT)).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${app?.address.port}/metrics`)).text();
    expect(metrics).toContain('sre_nanobot_feishu_events_total{type="im.message.receive_v1",outcome="duplicate"} 3');
    expect(metrics).toMatch(/sre_nanobot_feishu_outbox_total\{kind="reply",outcome="sent"\} 1/);
  });

  it('answers a p2p message, and /help with the command list card', async () => {
    const { emu } = await setup();
    emu.sendUserMessage({ chatId: P2P_CHAT, from: ALICE.openId, text: 'hello' });
    emu.sendUserMessage({ chatId: P2P_CHAT, from: ALICE.openId, text: '/help' });
    const replies = await eventually(() => {
      const r = botMessages(emu, P2P_CHAT);
      return r.length >= 2 && r;
    });
    expect(replies.map((r) => r.msgType).sort()).toEqual(['interactive', 'text']);
    expect(replies.find((r) => r.msgType === 'interactive')?.content).toContain('/help');
  });

  it('reads a rich-text (post) mention: a command in a post is a command', async () => {
    const { emu } = await setup();
    emu.sendUserMessage({ chatId: OPS_CHAT, from: BOB.openId, text: '/help', mentionBot: true, messageType: 'post' });
    const [reply] = await eventually(() => {
      const r = botMessages(emu, OPS_CHAT);
      return r.length > 0 && r;
    });
    expect(reply?.msgType).toBe('interactive');
    expect(reply?.content).toContain('/help');
  });

  it('ignores a group message that does not mention the bot', async () => {
    const { emu } = await setup({ allGroupMessages: true });
    const chatter = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: BOB.openId, text: 'lunch anyone?' });
    expect(await chatter.delivered).toMatchObject({ ok: true, status: 200 });
    const asked = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'status?', mentionBot: true });
    await eventually(() => botMessages(emu, ONCALL_CHAT).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    const replies = botMessages(emu, ONCALL_CHAT);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.parentId ?? replies[0]?.rootId).toBe(asked.messageId);
  });

  it('refuses a forged signature, a stale timestamp and a wrong token with 401', async () => {
    const { emu, app } = await setup();
    const url = `http://127.0.0.1:${app.address.port}/feishu/events`;
    const event = (token: string, messageId: string) => ({
      schema: '2.0',
      header: { event_id: `ev_${messageId}`, event_type: 'im.message.receive_v1', token, create_time: '1' },
      event: {
        sender: { sender_id: { open_id: ALICE.openId }, sender_type: 'user' },
        message: {
          message_id: messageId,
          chat_id: P2P_CHAT,
          chat_type: 'p2p',
          message_type: 'text',
          content: '{"text":"hi"}',
        },
      },
    });
    const token = emu.app.verificationToken ?? '';
    const cases = {
      forged: wireBody(event(token, 'om_forged'), 'not-the-key', Date.now()),
      stale: wireBody(event(token, 'om_stale'), ENCRYPT_KEY, Date.now() - 10 * 60_000),
      wrongToken: wireBody(event('vt_wrong', 'om_wrong'), ENCRYPT_KEY, Date.now()),
    };
    for (const [name, wire] of Object.entries(cases)) {
      const res = await fetch(url, { method: 'POST', headers: wire.headers, body: wire.body });
      expect(res.status, name).toBe(401);
    }
    const good = wireBody(event(token, 'om_good'), ENCRYPT_KEY, Date.now());
    expect((await fetch(url, { method: 'POST', headers: good.headers, body: good.body })).status).toBe(200);
    await app.feishu.receiver.idle();
    expect(app.ctx.store.events.get('om_good')).toBeDefined();
    for (const id of ['om_forged', 'om_stale', 'om_wrong']) expect(app.ctx.store.events.get(id)).toBeUndefined();
  });

  it('answers a card click with its toast within the deadline', async () => {
    const { emu, app } = await setup();
    app.router.onCardAction('ack', async ({ action, click }) => ({
      toast: { type: 'success', content: `Acknowledged #${action.incidentId} by ${click.operatorOpenId}` },
    }));
    const { noticeCard } = await import('../../src/cards/notice.js');
    const { button } = await import('../../src/cards/button.js');
    const card = noticeCard({
      title: 'Disk full',
      body: 'db-1',
      buttons: [button({ text: 'Ack', action: { action: 'ack', incidentId: 7 } })],
    });
    app.ctx.store.outbox.enqueueMessage(
      { kind: 'send_card', chatId: ONCALL_CHAT, cardKey: 'test:1', card },
      Date.now(),
    );
    app.feishu.worker?.poke();
    const [sentCard] = await eventually(() => {
      const r = botMessages(emu, ONCALL_CHAT);
      return r.length > 0 && r;
    });
    const click = await emu.clickButton({
      messageId: sentCard?.messageId ?? '',
      operator: ALICE.openId,
      value: { action: 'ack', incidentId: 7 },
    });
    expect(click.error).toBeUndefined();
    expect(click.status).toBe(200);
    expect(click.toast).toEqual({ type: 'success', content: `Acknowledged #7 by ${ALICE.openId}` });
    expect(click.ms).toBeLessThan(3000);
    expect(app.ctx.store.cards.messageId('test:1')).toBe(sentCard?.messageId);
  });

  it('loses nothing through an outage (5xx, then 429s): each message once, in order, within the rate limits', async () => {
    const { emu, app } = await setup();
    // The bot is up and has sent before the outage starts.
    app.ctx.store.outbox.enqueueMessage({ kind: 'send_text', chatId: OPS_CHAT, text: 'before' }, Date.now());
    app.feishu.worker?.poke();
    await eventually(() => botMessages(emu, OPS_CHAT).length === 1);
    emu.faults.inject({ kind: 'server_error', durationMs: 1000 });
    emu.faults.inject({ kind: 'rate_limit_app', count: 3 });
    emu.faults.inject({ kind: 'rate_limit_chat', count: 2 });
    const now = Date.now();
    for (let i = 0; i < 12; i++) {
      app.ctx.store.outbox.enqueueMessage({ kind: 'send_text', chatId: ONCALL_CHAT, text: `a${i}` }, now);
      if (i % 2 === 0) app.ctx.store.outbox.enqueueMessage({ kind: 'send_text', chatId: OPS_CHAT, text: `b${i}` }, now);
    }
    app.feishu.worker?.poke();
    await eventually(() => app.ctx.store.outbox.countByStatus().pending === 0, 30_000);
    expect(app.ctx.store.outbox.countByStatus()).toMatchObject({ pending: 0, failed: 0, sent: 19 });
    expect(botMessages(emu, ONCALL_CHAT).map((m) => textOf(m.content))).toEqual(
      Array.from({ length: 12 }, (_, i) => `a${i}`),
    );
    expect(botMessages(emu, OPS_CHAT).map((m) => textOf(m.content))).toEqual([
      'before',
      'b0',
      'b2',
      'b4',
      'b6',
      'b8',
      'b10',
    ]);
    expect(emu.maxSendsPerSecond(ONCALL_CHAT)).toBeLessThanOrEqual(5);
    const failures = emu.transcript.filter((t) => t.direction === 'in' && t.status >= 400);
    expect(failures.some((t) => t.status >= 500)).toBe(true);
    expect(failures.some((t) => t.status === 429)).toBe(true);
    expect(failures.some((t) => t.code === 230020)).toBe(true);
    expect(emu.maxSendsPerSecond(OPS_CHAT)).toBeLessThanOrEqual(5);
  }, 40_000);
});
