/**
 * Slash commands end to end: the real app against the Feishu emulator — a p2p command, a group command with an
 * @mention, a full-width one, and a refusal — each answered in the chat through the outbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { incidentDeps } from '../../src/incidents/context.js';
import { openIncident } from '../../src/incidents/lifecycle.js';
import type { RunningApp } from '../../src/main.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ALICE, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually, startAppAgainst } from '../helpers/gateway-app.js';

const P2P_CHAT = 'oc_p2p_alice_bot';
let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
});

const botTexts = (e: FeishuEmulator, chatId: string) =>
  e
    .messages(chatId)
    .filter((m) => m.sender.type === 'bot')
    .map((m) => (JSON.parse(m.content) as { text?: string }).text ?? m.content);

describe('slash commands through the emulator', () => {
  it('answers /incidents in p2p, /ack with a full-width slash in a group, and /whoami', async () => {
    const world = testWorld();
    emu = await startTestEmulator({
      ...world,
      chats: [...world.chats, { chatId: P2P_CHAT, name: 'Alice', type: 'p2p', members: [ALICE.openId] }],
    });
    app = await startAppAgainst(emu);
    const inc = openIncident(incidentDeps(app.ctx), {
      groupKey: 'g1',
      title: 'checkout is crash looping',
      priority: 'P2',
      chatId: ONCALL_CHAT,
      namespace: 'shop',
      cluster: null,
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop' },
      resources: [],
    });
    emu.sendUserMessage({ chatId: P2P_CHAT, from: ALICE.openId, text: '/incidents open' });
    const [list] = await eventually(
      () => botTexts(emu as FeishuEmulator, P2P_CHAT).length > 0 && botTexts(emu as FeishuEmulator, P2P_CHAT),
    );
    expect(list).toContain(`**#${inc.id}** P2 · open · checkout is crash looping`);

    emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: `／ack ${inc.id}`, mentionBot: true });
    await eventually(() => botTexts(emu as FeishuEmulator, ONCALL_CHAT).some((t) => t.includes('acknowledged')));
    expect(app.ctx.store.incidents.get(inc.id)?.status).toBe('acknowledged');

    emu.sendUserMessage({ chatId: P2P_CHAT, from: ALICE.openId, text: '/whoami' });
    const who = await eventually(() => botTexts(emu as FeishuEmulator, P2P_CHAT).find((t) => t.includes('open_id')));
    expect(who).toContain(ALICE.openId);
  });
});
