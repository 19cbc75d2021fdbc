import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type FeishuEmulator, urlVerification } from '../../../../src/sandbox/feishu/index.js';
import {
  ALICE,
  BOB,
  BOT,
  ONCALL_CHAT,
  startSdkBot,
  startTestEmulator,
  type TestBot,
} from '../../../helpers/feishu-emulator.js';

const ENCRYPT_KEY = 'test-encrypt-key';

describe('Feishu emulator: event delivery', () => {
  let emu: FeishuEmulator | undefined;
  let bot: TestBot | undefined;
  afterEach(async () => {
    await emu?.close();
    await bot?.close();
  });

  async function setup(answer?: Parameters<typeof startSdkBot>[1]) {
    const received: Record<string, unknown>[] = [];
    const dispatcher = new lark.EventDispatcher({
      encryptKey: ENCRYPT_KEY,
      loggerLevel: lark.LoggerLevel.error,
    }).register({
      'im.message.receive_v1': async (data) => {
        received.push(data as unknown as Record<string, unknown>);
        return {};
      },
    });
    bot = await startSdkBot(dispatcher, answer);
    emu = await startTestEmulator({
      app: { appId: 'cli_a5f3c2e1d4b60789', appSecret: 's', encryptKey: ENCRYPT_KEY, verificationToken: 'vt_1' },
      delivery: { mode: 'webhook', eventsUrl: bot.url },
    });
    return { received, emu };
  }

  it('delivers an encrypted, signed group message with the bot mention that the SDK accepts', async () => {
    const { received, emu } = await setup();
    const sent = emu.sendUserMessage({
      chatId: ONCALL_CHAT,
      from: ALICE.openId,
      text: 'ack INC-1042 and page @Bob',
      mentionBot: true,
      mentionUsers: [BOB.openId],
    });
    expect(await sent.delivered).toMatchObject({ ok: true, attempts: 1, status: 200 });
    expect(received).toHaveLength(1);
    const data = received[0] as {
      event_id: string;
      token: string;
      create_time: string;
      message: {
        message_id: string;
        chat_type: string;
        content: string;
        mentions: { key: string; id: { open_id: string } }[];
      };
      sender: { sender_id: { open_id: string } };
    };
    expect(data.event_id).toBe(sent.eventId);
    expect(data.token).toBe('vt_1');
    expect(data.create_time).toMatch(/^\d{13}$/);
    expect(data.message.message_id).toBe(sent.messageId);
    expect(data.message.chat_type).toBe('group');
    expect(JSON.parse(data.message.content)).toEqual({ text: '@_user_1 ack INC-1042 and page @_user_2' });
    expect(data.message.mentions.map((m) => [m.key, m.id.open_id])).toEqual([
      ['@_user_1', BOT.openId],
      ['@_user_2', BOB.openId],
    ]);
    expect(data.sender.sender_id.open_id).toBe(ALICE.openId);
    const out = emu.transcript.filter((e) => e.direction === 'out');
    expect(out).toMatchObject([{ kind: 'event', status: 200, eventId: sent.eventId, attempt: 1 }]);
  });

  it('does not deliver a group message without @bot; p2p messages always arrive', async () => {
    const { received, emu } = await setup();
    const quiet = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'just chatting' });
    expect(quiet.eventId).toBe('');
    expect((await quiet.delivered).ok).toBe(false);
    const p2p = emu.world.p2pChatWith(emu.world.users.get(ALICE.openId)!);
    const direct = emu.sendUserMessage({ chatId: p2p.chatId, from: ALICE.openId, text: 'oncall who' });
    expect((await direct.delivered).ok).toBe(true);
    expect(received.map((r) => (r.message as { chat_type: string }).chat_type)).toEqual(['p2p']);
    expect(emu.messages(ONCALL_CHAT)).toHaveLength(1);
  });

  it('re-delivers the same event after a non-200 answer and after a slow answer', async () => {
    let calls = 0;
    const { received, emu } = await setup(async (_req, res, handle) => {
      calls++;
      if (calls === 1) {
        res.statusCode = 500;
        res.end('boom');
        return;
      }
      if (calls === 2) {
        await new Promise((r) => setTimeout(r, 1500)); // past the 1 s deadline of the test world
      }
      await handle();
    });
    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'hi', mentionBot: true });
    const result = await sent.delivered;
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    const ids = received.map((r) => (r as { event_id: string; message: { message_id: string } }).event_id);
    // The slow attempt was handled too (at-least-once): the bot sees the same event twice.
    expect(new Set(ids)).toEqual(new Set([sent.eventId]));
    const attempts = emu.transcript.filter((e) => e.kind === 'event').map((e) => [e.attempt, e.status]);
    expect(attempts).toEqual([
      [1, 500],
      [2, 0],
      [3, 200],
    ]);
  });

  it('gives up after the retry schedule and can push an event again on demand', async () => {
    let fail = true;
    const { received, emu } = await setup(async (_req, res, handle) => {
      if (fail) {
        res.statusCode = 503;
        res.end();
        return;
      }
      await handle();
    });
    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'hi', mentionBot: true });
    expect(await sent.delivered).toMatchObject({ ok: false, attempts: 3, status: 503 });
    fail = false;
    expect(await emu.redeliver(sent.eventId)).toMatchObject({ ok: true, attempts: 1 });
    expect(await emu.redeliver(sent.eventId)).toMatchObject({ ok: true });
    expect(received.map((r) => (r as { event_id: string }).event_id)).toEqual([sent.eventId, sent.eventId]);
  });

  it('runs the url_verification challenge, encrypted, against the SDK autoChallenge', async () => {
    const { emu } = await setup();
    const r = await urlVerification(emu);
    expect(r).toMatchObject({ ok: true, status: 200 });
  });

  it('tells the bot when it is added to or removed from a chat; a removed bot gets nothing more', async () => {
    const { emu } = await setup();
    const memberships: string[] = [];
    const dispatcher = new lark.EventDispatcher({
      encryptKey: ENCRYPT_KEY,
      loggerLevel: lark.LoggerLevel.error,
    }).register<{
      'im.chat.member.bot.added_v1': (d: unknown) => Promise<unknown>;
      'im.chat.member.bot.deleted_v1': (d: unknown) => Promise<unknown>;
    }>({
      'im.chat.member.bot.added_v1': async (d) => {
        memberships.push(`added:${(d as { chat_id: string }).chat_id}`);
        return {};
      },
      'im.chat.member.bot.deleted_v1': async (d) => {
        memberships.push(`deleted:${(d as { chat_id: string }).chat_id}`);
        return {};
      },
    });
    const other = await startSdkBot(dispatcher);
    try {
      emu.setDelivery({ mode: 'webhook', eventsUrl: other.url });
      emu.addUser({ openId: 'ou_dave', name: 'Dave' });
      expect(
        await emu.addChat({ chatId: 'oc_new', name: 'War room', type: 'group', members: ['ou_dave'] }, 'ou_dave'),
      ).toMatchObject({ ok: true });
      expect(await emu.setBotInChat('oc_new', false)).toMatchObject({ ok: true });
      expect(memberships).toEqual(['added:oc_new', 'deleted:oc_new']);
      const after = emu.sendUserMessage({ chatId: 'oc_new', from: 'ou_dave', text: 'anyone?', mentionBot: true });
      expect(await after.delivered).toMatchObject({ ok: false, attempts: 0 });
    } finally {
      await other.close();
    }
  });

  it('stores rich-text (post) messages with at nodes, and @all as Feishu leaves it', async () => {
    const { received, emu } = await setup();
    const post = emu.sendUserMessage({
      chatId: ONCALL_CHAT,
      from: ALICE.openId,
      text: 'heads up @all: checkout is down',
      mentionBot: true,
      mentionAll: true,
      messageType: 'post',
    });
    expect(await post.delivered).toMatchObject({ ok: true });
    const message = (received[0] as { message: { message_type: string; content: string; mentions: { key: string }[] } })
      .message;
    expect(message.message_type).toBe('post');
    expect(JSON.parse(message.content)).toEqual({
      title: '',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: BOT.name },
          { tag: 'text', text: ' heads up ' },
          { tag: 'at', user_id: 'all', user_name: '所有人' },
          { tag: 'text', text: ': checkout is down' },
        ],
      ],
    });
    expect(message.mentions.map((m) => m.key)).toEqual(['@_user_1']);
  });
});
