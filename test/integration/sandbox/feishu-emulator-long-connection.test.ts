/**
 * The emulator's long connection against the product's own: `startLongConnection` (the SDK's WSClient feeding
 * the receiver) gets messages and card callbacks from the emulator, and its answers come back over the socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type IncomingMessage, Router } from '../../../src/app/router.js';
import { type LongConnection, startLongConnection } from '../../../src/feishu/long-connection.js';
import { FeishuReceiver } from '../../../src/feishu/receiver.js';
import { systemClock } from '../../../src/ports/clock.js';
import type { FeishuEmulator } from '../../../src/sandbox/feishu/index.js';
import { testContext } from '../../helpers/app-context.js';
import { ALICE, BOT, ONCALL_CHAT, sdkClient, startTestEmulator, testAppId } from '../../helpers/feishu-emulator.js';

let emu: FeishuEmulator | undefined;
let conn: LongConnection | undefined;
afterEach(async () => {
  conn?.close();
  await emu?.close();
});

describe('Feishu emulator ↔ the bot over the long connection', () => {
  it('delivers a mention and a card click, and reads the answers', async () => {
    const appId = testAppId();
    emu = await startTestEmulator({
      app: { appId, appSecret: 'lc-secret', verificationToken: 'vt' },
      delivery: { mode: 'websocket' },
    });
    const ctx = {
      ...testContext({
        FEISHU_APP_ID: appId,
        FEISHU_APP_SECRET: 'lc-secret',
        FEISHU_DOMAIN: emu.url,
        FEISHU_EVENT_MODE: 'websocket',
        ALERTMANAGER_WEBHOOK_TOKEN: 'none',
      }),
      clock: systemClock,
    };
    const seen: IncomingMessage[] = [];
    const router = new Router();
    router.onMessage(async ({ message: msg }) => {
      seen.push(msg);
    });
    router.onCardAction('ack', async ({ action: a }) => ({
      toast: { type: 'success', content: `acked ${a.incidentId}` },
    }));
    const receiver = new FeishuReceiver({ ctx, router, botOpenId: async () => BOT.openId });
    conn = startLongConnection(ctx.config, receiver, ctx.log);
    await expect.poll(() => emu?.longConnection.connected, { timeout: 10_000 }).toBe(1);

    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'status', mentionBot: true });
    // Under load the emulator may redeliver (as Feishu does after 3 s); the bot still sees the message once.
    expect(await sent.delivered).toMatchObject({ ok: true });
    await receiver.idle();
    expect(seen.map((m) => [m.messageId, m.text.trim()])).toEqual([[sent.messageId, 'status']]);

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
      value: { action: 'ack', incidentId: 3 },
    });
    expect(click).toMatchObject({ status: 200, toast: { type: 'success', content: 'acked 3' } });
  });
});
