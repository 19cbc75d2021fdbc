/**
 * A crash between "Feishu accepted the message" and "SQLite recorded it as sent": the next process sends the
 * same outbox rows again, with the same uuid, and the chat still shows each message once. The real client
 * (node SDK) talks to the Feishu emulator, which drops a repeated uuid within an hour as Feishu does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import { OutboxWorker } from '../../src/feishu/outbox-worker.js';
import { systemClock } from '../../src/ports/clock.js';
import type { FeishuPort } from '../../src/ports/feishu.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Store } from '../../src/store/index.js';
import { ALICE, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually } from '../helpers/gateway-app.js';

let emu: FeishuEmulator | undefined;
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) if (s.isOpen()) s.close();
  await emu?.close();
  emu = undefined;
});

/** One process's Feishu client against the emulator (a fresh token cache, as after a restart). */
function clientFor(e: FeishuEmulator): FeishuClient {
  return new FeishuClient({
    appId: e.app.appId,
    appSecret: e.app.appSecret,
    domain: e.url,
    clock: systemClock,
    log: silentLogger(),
  });
}

/** The process dies right after Feishu answered a send: the answer is never recorded. */
function diesAfterSending(port: FeishuPort, accepted: string[]): FeishuPort {
  const hang = () => new Promise<never>(() => {});
  return new Proxy(port, {
    get(target, name, receiver) {
      const real = Reflect.get(target, name, receiver);
      if (name !== 'sendText' && name !== 'sendCard') return typeof real === 'function' ? real.bind(target) : real;
      return async (...args: unknown[]) => {
        const sent = await (real as (...a: unknown[]) => Promise<{ messageId: string }>).apply(target, args);
        accepted.push(sent.messageId);
        return hang();
      };
    },
  });
}

const card = {
  schema: '2.0',
  config: { update_multi: true },
  body: { elements: [{ tag: 'markdown', content: 'db-1' }] },
};

describe('outbox across a crash', () => {
  it('re-sends unrecorded messages with the same uuid; Feishu shows each once and the card id is the first', async () => {
    const OPS_CHAT = 'oc_ops_crash_test';
    emu = await startTestEmulator({
      chats: [...(testWorld().chats ?? []), { chatId: OPS_CHAT, name: 'Ops', type: 'group', members: [ALICE.openId] }],
    });
    const path = join(mkdtempSync(join(tmpdir(), 'nanobot-crash-')), 'db.sqlite');

    const before = Store.open(path);
    stores.push(before);
    const textId = before.outbox.enqueueMessage({ kind: 'send_text', chatId: ONCALL_CHAT, text: 'disk full' }, 1_000);
    const cardId = before.outbox.enqueueMessage(
      { kind: 'send_card', chatId: OPS_CHAT, cardKey: 'incident:9', card },
      1_000,
    );
    const accepted: string[] = [];
    const first = new OutboxWorker({
      store: before,
      feishu: diesAfterSending(clientFor(emu), accepted),
      clock: systemClock,
      log: silentLogger(),
    });
    void first.tick();
    await eventually(() => accepted.length === 2);
    const e = emu;
    const botMessages = () =>
      [...e.messages(ONCALL_CHAT), ...e.messages(OPS_CHAT)].filter((m) => m.sender.type === 'bot');
    expect(botMessages()).toHaveLength(2);
    before.close(); // the crash: nothing after Feishu's answer reached the database

    const after = Store.open(path);
    stores.push(after);
    expect([after.outbox.get(textId)?.status, after.outbox.get(cardId)?.status]).toEqual(['pending', 'pending']);
    const second = new OutboxWorker({ store: after, feishu: clientFor(emu), clock: systemClock, log: silentLogger() });
    await second.tick();

    expect([after.outbox.get(textId)?.status, after.outbox.get(cardId)?.status]).toEqual(['sent', 'sent']);
    expect(botMessages()).toHaveLength(2);
    expect(new Set(botMessages().map((m) => m.messageId))).toEqual(new Set(accepted));
    // A later patch of the card goes to the card people see, not to a copy.
    expect(after.cards.messageId('incident:9')).toBe(botMessages().find((m) => m.msgType === 'interactive')?.messageId);
    const uuids = emu
      .calls(/^\/open-apis\/im\/v1\/messages$/)
      .map((c) => (c.request as { uuid?: string } | undefined)?.uuid);
    expect(uuids).toHaveLength(4);
    expect(uuids.slice(0, 2)).toEqual(uuids.slice(2));
    expect(new Set(uuids).size).toBe(2);
    for (const u of uuids) expect(u).toMatch(/^sre-nanobot-outbox-\d+-[0-9a-z]+$/);
  });
});
