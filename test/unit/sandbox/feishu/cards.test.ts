import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../../src/sandbox/feishu/index.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import {
  ALICE,
  feishuError,
  ONCALL_CHAT,
  sdkClient,
  silentLogger,
  startSdkBot,
  startTestEmulator,
  type TestBot,
} from '../../../helpers/feishu-emulator.js';

const ENCRYPT_KEY = 'card-key';
const card = (title: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: title }, template: 'red' },
  body: {
    elements: [
      {
        tag: 'button',
        text: { tag: 'plain_text', content: 'Ack' },
        behaviors: [{ type: 'callback', value: { action: 'ack', incident_id: 'INC-1' } }],
      },
    ],
  },
});

type Handler = (data: { token: string; action: { value: unknown }; context: { open_message_id: string } }) => unknown;

describe('Feishu emulator: card callbacks and delayed updates', () => {
  let emu: FeishuEmulator | undefined;
  let bot: TestBot | undefined;
  afterEach(async () => {
    await emu?.close();
    await bot?.close();
  });

  async function setup(handler: Handler, clock?: FakeClock) {
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, logger: silentLogger }).register<{
      'card.action.trigger': (data: unknown) => Promise<unknown>;
    }>({
      'card.action.trigger': async (data) => handler(data as Parameters<Handler>[0]),
    });
    bot = await startSdkBot(dispatcher);
    emu = await startTestEmulator({
      app: { appId: 'cli_0123456789abcdef', appSecret: 's', encryptKey: ENCRYPT_KEY, verificationToken: 'vt' },
      delivery: { mode: 'webhook', eventsUrl: 'http://127.0.0.1:9/unused', cardUrl: bot.url },
      ...(clock ? { clock } : {}),
    });
    const client = sdkClient(emu);
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: JSON.stringify(card('INC-1 firing')) },
    });
    return { emu, client, messageId: sent.data?.message_id ?? '' };
  }

  it('delivers a signed card.action.trigger and applies a returned toast and raw card', async () => {
    const seen: Parameters<Handler>[0][] = [];
    const { emu, messageId } = await setup((data) => {
      seen.push(data);
      return { toast: { type: 'success', content: 'Acknowledged' }, card: { type: 'raw', data: card('INC-1 acked') } };
    });
    const r = await emu.clickButton({
      messageId,
      operator: ALICE.openId,
      value: { action: 'ack', incident_id: 'INC-1' },
    });
    expect(r).toMatchObject({ status: 200, toast: { type: 'success', content: 'Acknowledged' }, cardUpdated: true });
    expect(r.error).toBeUndefined();
    expect(seen[0]?.action.value).toEqual({ action: 'ack', incident_id: 'INC-1' });
    expect(seen[0]?.context.open_message_id).toBe(messageId);
    expect(seen[0]?.token).toMatch(/^c-/);
    expect(JSON.parse(emu.message(messageId)?.content ?? '{}').header.title.content).toBe('INC-1 acked');
    expect(emu.message(messageId)?.toasts).toMatchObject([{ type: 'success', content: 'Acknowledged' }]);
    // The state API shows the latest card and the toast.
    const page = (await (await fetch(`${emu.url}/sandbox/api/chats/${ONCALL_CHAT}/messages`)).json()) as {
      messages: { content: { header: { title: { content: string } } }; updateCount: number; toasts: unknown[] }[];
    };
    expect(page.messages[0]?.content.header.title.content).toBe('INC-1 acked');
    expect(page.messages[0]?.updateCount).toBe(1);
  });

  it('shows an error when the bot answers with an empty body or a non-JSON body', async () => {
    const { emu, messageId } = await setup(() => undefined);
    const r = await emu.clickButton({ messageId, operator: ALICE.openId, value: { action: 'ack' } });
    expect(r.status).toBe(200);
    expect(r.error?.code).toBe(200672);
    expect(emu.message(messageId)?.toasts[0]?.type).toBe('error');
    expect(emu.message(messageId)?.updateCount).toBe(0);
  });

  it('delayed update: after the answer, at most twice; an update inside the handler changes nothing', async () => {
    let client: lark.Client | undefined;
    let tokenSeen = '';
    let inside: unknown;
    const {
      emu,
      messageId,
      client: c,
    } = await setup(async (data) => {
      tokenSeen = data.token;
      inside = await client?.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token: data.token, card: card('too early') },
      });
      return {};
    });
    client = c;
    await emu.clickButton({ messageId, operator: ALICE.openId, value: { action: 'ack' } });
    expect(inside).toMatchObject({ code: 0 });
    expect(JSON.parse(emu.message(messageId)?.content ?? '{}').header.title.content).toBe('INC-1 firing');
    const update = (title: string) =>
      c.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token: tokenSeen, card: card(title) },
      });
    expect(await update('after answer')).toMatchObject({ code: 0, msg: 'ok' });
    expect(JSON.parse(emu.message(messageId)?.content ?? '{}').header.title.content).toBe('after answer');
    expect((await feishuError(update('third use'))).code).toBe(300040);
    expect(
      (
        await feishuError(
          c.request({
            method: 'POST',
            url: '/open-apis/interactive/v1/card/update',
            data: { token: 'bad token', card: card('x') },
          }),
        )
      ).code,
    ).toBe(300020);
  });

  it('delayed update tokens expire after 30 minutes', async () => {
    const clock = new FakeClock(Date.now());
    let token = '';
    const { emu, client } = await setup((data) => {
      token = data.token;
      return {};
    }, clock);
    const messageId = emu.messages(ONCALL_CHAT)[0]?.messageId ?? '';
    const click = emu.clickButton({ messageId, operator: ALICE.openId, value: {} });
    await clock.advance(0);
    await click;
    await clock.advance(30 * 60_000 + 1);
    const err = await feishuError(
      client.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token, card: card('late') },
      }),
    );
    expect(err.code).toBe(300030);
  });
});
