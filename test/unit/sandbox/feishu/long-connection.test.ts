import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../../src/sandbox/feishu/index.js';
import { decodeFrame, encodeFrame } from '../../../../src/sandbox/feishu/pbbp2.js';
import {
  ALICE,
  ONCALL_CHAT,
  sdkClient,
  silentLogger,
  startTestEmulator,
  testAppId,
} from '../../../helpers/feishu-emulator.js';

describe('Feishu emulator: long connection (WebSocket)', () => {
  let emu: FeishuEmulator | undefined;
  let ws: lark.WSClient | undefined;
  afterEach(async () => {
    ws?.close({ force: true });
    await emu?.close();
  });

  it('round-trips frames through the pbbp2 encoding, including large ids', () => {
    const frame = {
      SeqID: 2 ** 40 + 5,
      LogID: 1234567890123,
      service: 4321,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: 'm-1' },
      ],
      payload: new TextEncoder().encode('{"a":"é"}'),
    };
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('serves the real WSClient: events and card callbacks arrive, answers come back', async () => {
    emu = await startTestEmulator({
      app: { appId: testAppId(), appSecret: 'ws-secret', verificationToken: 'vt' },
      delivery: { mode: 'websocket' },
      wsClientConfig: { PingInterval: 1 },
    });
    const messages: string[] = [];
    const dispatcher = new lark.EventDispatcher({ logger: silentLogger }).register<{
      'card.action.trigger': (data: unknown) => Promise<unknown>;
    }>({
      'im.message.receive_v1': async (data) => {
        messages.push(JSON.parse(data.message.content).text);
        return {};
      },
      'card.action.trigger': async (data) => {
        const d = data as { action: { value: { action: string } } };
        return { toast: { type: 'success', content: `done: ${d.action.value.action}` } };
      },
    });
    let ready = false;
    ws = new lark.WSClient({
      appId: emu.app.appId,
      appSecret: 'ws-secret',
      domain: emu.url,
      logger: silentLogger,
      onReady: () => {
        ready = true;
      },
    });
    await ws.start({ eventDispatcher: dispatcher });
    await expect.poll(() => ready && emu?.longConnection.connected, { timeout: 10_000 }).toBe(1);

    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'status', mentionBot: true });
    expect(await sent.delivered).toMatchObject({ ok: true, attempts: 1, status: 200 });
    expect(messages).toEqual(['@_user_1 status']);

    const card = await sdkClient(emu).im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: ONCALL_CHAT,
        msg_type: 'interactive',
        content: JSON.stringify({ schema: '2.0', config: { update_multi: true }, body: { elements: [] } }),
      },
    });
    const click = await emu.clickButton({
      messageId: card.data?.message_id ?? '',
      operator: ALICE.openId,
      value: { action: 'ack' },
    });
    expect(click).toMatchObject({ status: 200, toast: { type: 'success', content: 'done: ack' } });
    // The client pings (every second here) and gets pongs.
    await expect.poll(() => emu?.longConnection.pings ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('refuses a wrong secret at the endpoint and re-delivers while no client is connected', async () => {
    emu = await startTestEmulator({ delivery: { mode: 'websocket' }, retryDelaysMs: [30] });
    const res = await fetch(`${emu.url}/callback/ws/endpoint`, {
      method: 'POST',
      body: JSON.stringify({ AppID: emu.app.appId, AppSecret: 'wrong' }),
    });
    expect(((await res.json()) as { code: number }).code).toBe(514);
    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'hi', mentionBot: true });
    expect(await sent.delivered).toMatchObject({ ok: false, attempts: 2, error: 'no long connection is open' });
  });

  it('the SDK client reconnects after the connection drops, and events flow again', async () => {
    emu = await startTestEmulator({
      app: { appId: testAppId(), appSecret: 'ws-secret' },
      delivery: { mode: 'websocket' },
      wsClientConfig: { ReconnectNonce: 0, ReconnectInterval: 1 },
    });
    const texts: string[] = [];
    const dispatcher = new lark.EventDispatcher({ logger: silentLogger }).register({
      'im.message.receive_v1': async (data) => {
        texts.push(JSON.parse(data.message.content).text);
        return {};
      },
    });
    ws = new lark.WSClient({ appId: emu.app.appId, appSecret: 'ws-secret', domain: emu.url, logger: silentLogger });
    await ws.start({ eventDispatcher: dispatcher });
    await expect.poll(() => emu?.longConnection.connected, { timeout: 10_000 }).toBe(1);
    emu.longConnection.dropConnections();
    expect(emu.longConnection.connected).toBe(0);
    await expect.poll(() => emu?.longConnection.connected, { timeout: 10_000 }).toBe(1);
    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'back?', mentionBot: true });
    expect(await sent.delivered).toMatchObject({ ok: true });
    expect(texts).toEqual(['@_user_1 back?']);
    expect(emu.calls(/callback\/ws\/endpoint/)).toHaveLength(2);
  });
});
