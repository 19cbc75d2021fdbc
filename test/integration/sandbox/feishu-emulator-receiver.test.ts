/**
 * The emulator against the product's own Feishu receiver over loopback: what the emulator sends (encrypted,
 * signed, with the verification token) is what the receiver accepts, and the receiver's answers are what the
 * emulator expects from a bot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type IncomingMessage, Router } from '../../../src/app/router.js';
import { FeishuReceiver } from '../../../src/feishu/receiver.js';
import { mountFeishuRoutes } from '../../../src/feishu/routes.js';
import { HttpServer } from '../../../src/http/server.js';
import { systemClock } from '../../../src/ports/clock.js';
import { type FeishuEmulator, urlVerification } from '../../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { testContext } from '../../helpers/app-context.js';
import { ALICE, BOB, BOT, ONCALL_CHAT, sdkClient, startTestEmulator } from '../../helpers/feishu-emulator.js';

const ENCRYPT_KEY = 'emulator-receiver-key';
const TOKEN = 'vt_emulator_receiver';

let http: HttpServer | undefined;
let emu: FeishuEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  await http?.close();
  emu = undefined;
  http = undefined;
});

async function start(emulatorKey = ENCRYPT_KEY) {
  const ctx = {
    ...testContext({ FEISHU_VERIFICATION_TOKEN: TOKEN, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY }),
    clock: systemClock,
  };
  const seen: IncomingMessage[] = [];
  const router = new Router();
  router.onMessage(async ({ message: msg }) => {
    seen.push(msg);
  });
  router.onCardAction('ack', async ({ action }) => ({
    toast: { type: 'success', content: `acked ${action.incidentId}` },
  }));
  const receiver = new FeishuReceiver({ ctx, router, botOpenId: async () => BOT.openId });
  http = new HttpServer({ log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  mountFeishuRoutes(http.router, receiver);
  const addr = await http.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${addr.port}`;
  emu = await startTestEmulator({
    app: { appId: 'cli_a5f3c2e1d4b60789', appSecret: 's', encryptKey: emulatorKey, verificationToken: TOKEN },
    delivery: { mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` },
  });
  return { emu, receiver, seen, ctx };
}

describe('Feishu emulator ↔ the bot receiver', () => {
  it('passes url verification, delivers a mention the receiver accepts, and a duplicate is handled once', async () => {
    const { emu, receiver, seen } = await start();
    expect(await urlVerification(emu)).toMatchObject({ ok: true });
    expect(await urlVerification(emu, 'card')).toMatchObject({ ok: true });
    const sent = emu.sendUserMessage({
      chatId: ONCALL_CHAT,
      from: ALICE.openId,
      text: 'restart checkout, cc @Bob',
      mentionBot: true,
      mentionUsers: [BOB.openId],
    });
    expect(await sent.delivered).toMatchObject({ ok: true, attempts: 1 });
    expect(await emu.redeliver(sent.eventId)).toMatchObject({ ok: true });
    await receiver.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      messageId: sent.messageId,
      chatId: ONCALL_CHAT,
      chatType: 'group',
      senderOpenId: ALICE.openId,
      mentionedBot: true,
    });
    expect(seen[0]?.text).toContain('@Bob');
  });

  it('answers a card click with the router’s toast inside the callback window', async () => {
    const { emu } = await start();
    const sent = await sdkClient(emu).im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: ONCALL_CHAT,
        msg_type: 'interactive',
        content: JSON.stringify({ schema: '2.0', config: { update_multi: true }, body: { elements: [] } }),
      },
    });
    const r = await emu.clickButton({
      messageId: sent.data?.message_id ?? '',
      operator: ALICE.openId,
      value: { action: 'ack', incidentId: 7 },
    });
    expect(r).toMatchObject({ status: 200, toast: { type: 'success', content: 'acked 7' } });
    expect(r.error).toBeUndefined();
  });

  it('an emulator signing with another key is refused, and the event is retried on schedule', async () => {
    const { emu, seen } = await start('some-other-key');
    const sent = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'hi', mentionBot: true });
    const result = await sent.delivered;
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(3);
    expect(result.status).toBe(401);
    expect(seen).toHaveLength(0);
  });
});
