import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../../src/sandbox/feishu/index.js';
import {
  ALICE,
  BOT,
  ONCALL_CHAT,
  sdkClient,
  silentLogger,
  startSdkBot,
  startTestEmulator,
  type TestBot,
} from '../../../helpers/feishu-emulator.js';

describe('Feishu emulator: state API for the sandbox page', () => {
  let emu: FeishuEmulator | undefined;
  let bot: TestBot | undefined;
  afterEach(async () => {
    await emu?.close();
    await bot?.close();
  });

  it('shows the world, takes a typed message to the bot, and clicks a card button', async () => {
    const texts: string[] = [];
    const dispatcher = new lark.EventDispatcher({ logger: silentLogger }).register<{
      'card.action.trigger': (data: unknown) => Promise<unknown>;
    }>({
      'im.message.receive_v1': async (data) => {
        texts.push(JSON.parse(data.message.content).text);
        return {};
      },
      'card.action.trigger': async () => ({ toast: { type: 'info', content: 'Got it' } }),
    });
    bot = await startSdkBot(dispatcher);
    emu = await startTestEmulator({ delivery: { mode: 'webhook', eventsUrl: bot.url } });
    const get = async (path: string) => (await fetch(`${emu?.url}${path}`)).json() as Promise<Record<string, unknown>>;
    const post = async (path: string, body: unknown) =>
      (await fetch(`${emu?.url}${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<
        Record<string, unknown>
      >;

    const state = await get('/sandbox/api/state');
    expect(state.bot).toEqual(BOT);
    expect(state.chats).toContainEqual({ chatId: ONCALL_CHAT, name: 'SRE on-call', type: 'group' });
    expect((state.users as unknown[]).length).toBe(3);

    const typed = await post(`/sandbox/api/chats/${ONCALL_CHAT}/messages`, {
      userOpenId: ALICE.openId,
      text: 'status INC-1',
      mentionBot: true,
    });
    expect(typed.messageId).toMatch(/^om_/);
    const bad = await fetch(`${emu.url}/sandbox/api/chats/${ONCALL_CHAT}/messages`, {
      method: 'POST',
      body: JSON.stringify({ userOpenId: 'ou_nobody', text: 'x' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('unknown user');
    await expect.poll(() => texts, { timeout: 10_000 }).toEqual(['@_user_1 status INC-1']);

    const client = sdkClient(emu);
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: ONCALL_CHAT,
        msg_type: 'interactive',
        content: JSON.stringify({ schema: '2.0', config: { update_multi: true }, body: { elements: [] } }),
      },
    });
    const click = await post('/sandbox/api/click', {
      messageId: sent.data?.message_id,
      operatorOpenId: ALICE.openId,
      value: { action: 'ack' },
    });
    expect(click).toMatchObject({ status: 200, toast: { type: 'info', content: 'Got it' } });

    const page = (await get(`/sandbox/api/chats/${ONCALL_CHAT}/messages`)) as {
      messages: {
        sender: { type: string };
        msgType: string;
        content: unknown;
        mentions?: unknown[];
        toasts?: unknown[];
      }[];
    };
    expect(page.messages.map((m) => [m.sender.type, m.msgType])).toEqual([
      ['user', 'text'],
      ['bot', 'interactive'],
    ]);
    expect(page.messages[0]?.content).toEqual({ text: '@_user_1 status INC-1' });
    expect(page.messages[0]?.mentions).toEqual([{ key: '@_user_1', openId: BOT.openId, name: BOT.name }]);
    expect(page.messages[1]?.toasts).toMatchObject([{ type: 'info', content: 'Got it' }]);

    const transcript = (await get('/sandbox/api/transcript')) as { entries: { kind: string; direction: string }[] };
    expect(transcript.entries.map((e) => `${e.direction}:${e.kind}`)).toEqual(
      expect.arrayContaining(['out:event', 'in:api', 'out:callback']),
    );
  });
});
