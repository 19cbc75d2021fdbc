/** FEISHU_EVENT_MODE=websocket: the same handlers, fed by the SDK's long connection to the emulator. */
import { afterEach, describe, expect, it } from 'vitest';
import { button } from '../../src/cards/button.js';
import { noticeCard } from '../../src/cards/notice.js';
import type { RunningApp } from '../../src/main.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ALICE, ONCALL_CHAT, startTestEmulator } from '../helpers/feishu-emulator.js';
import { eventually, startAppAgainst } from '../helpers/gateway-app.js';

let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
});

describe('Feishu long connection', () => {
  it('answers a mention once and a card click with its toast, without a public URL', async () => {
    emu = await startTestEmulator({ delivery: { mode: 'websocket' }, wsClientConfig: { PingInterval: 1 } });
    app = await startAppAgainst(emu, { FEISHU_EVENT_MODE: 'websocket' });
    const e = emu;
    await eventually(() => e.longConnection.connected === 1);

    const sent = e.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'hi', mentionBot: true });
    expect(await sent.delivered).toMatchObject({ ok: true, status: 200 });
    await e.redeliver(sent.eventId);
    const replies = await eventually(() => {
      const r = e.messages(ONCALL_CHAT).filter((m) => m.sender.type === 'bot');
      return r.length > 0 && r;
    });
    expect(replies[0]?.content).toContain('/help');

    const a = app;
    a.router.onCardAction('ack', async ({ action }) => ({
      toast: { type: 'success', content: `acked ${action.incidentId}` },
    }));
    const card = noticeCard({
      title: 'x',
      body: 'y',
      buttons: [button({ text: 'Ack', action: { action: 'ack', incidentId: 3 } })],
    });
    a.ctx.store.outbox.enqueueMessage({ kind: 'send_card', chatId: ONCALL_CHAT, cardKey: 'ws:1', card }, Date.now());
    a.feishu.worker?.poke();
    const messageId = await eventually(() => a.ctx.store.cards.messageId('ws:1'));
    const click = await e.clickButton({ messageId, operator: ALICE.openId, value: { action: 'ack', incidentId: 3 } });
    expect(click.toast).toEqual({ type: 'success', content: 'acked 3' });
    expect(e.messages(ONCALL_CHAT).filter((m) => m.sender.type === 'bot' && m.msgType === 'text')).toHaveLength(1);
  });
});
