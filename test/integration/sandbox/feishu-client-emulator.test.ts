/**
 * The product's Feishu adapter (`FeishuClient`, the FeishuPort over the node SDK) against the emulator: every
 * port method, token refresh after revocation, and how Feishu's refusals surface as FeishuApiError kinds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import type { FeishuApiError } from '../../../src/feishu/errors.js';
import { systemClock } from '../../../src/ports/clock.js';
import type { FeishuEmulator } from '../../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../../src/shared/log.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { ALICE, BOB, BOT, CAROL, ONCALL_CHAT, OTHER_CHAT, startTestEmulator } from '../../helpers/feishu-emulator.js';

let emu: FeishuEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const card = (title: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: title }, template: 'red' },
  body: { elements: [{ tag: 'markdown', content: title }] },
});

async function setup(options: Parameters<typeof startTestEmulator>[0] = {}, timeoutMs = 5000) {
  emu = await startTestEmulator(options);
  const client = new FeishuClient({
    appId: emu.app.appId,
    appSecret: emu.app.appSecret,
    domain: `${emu.url}/`,
    clock: systemClock,
    log: silentLogger(),
    timeoutMs,
  });
  return { emu, client };
}

async function failure(p: Promise<unknown>): Promise<FeishuApiError> {
  try {
    await p;
  } catch (err) {
    return err as FeishuApiError;
  }
  throw new Error('expected a failure');
}

describe('FeishuClient ↔ Feishu emulator', () => {
  it('covers the port: send, reply in thread, patch, urgent, bot info, emails, members', async () => {
    const { emu, client } = await setup();
    const sent = await client.sendCard(ONCALL_CHAT, card('INC-1 firing'), { uuid: 'inc-1' });
    expect(emu.message(sent.messageId)?.msgType).toBe('interactive');
    expect((await client.sendCard(ONCALL_CHAT, card('INC-1 firing'), { uuid: 'inc-1' })).messageId).toBe(
      sent.messageId,
    );
    const reply = await client.reply(
      sent.messageId,
      { msgType: 'text', content: JSON.stringify({ text: 'why' }) },
      { inThread: true },
    );
    expect(emu.message(reply.messageId)).toMatchObject({ rootId: sent.messageId, parentId: sent.messageId });
    expect(emu.message(reply.messageId)?.threadId).toMatch(/^omt_/);
    await client.patchCard(sent.messageId, card('INC-1 acked'));
    expect(JSON.parse(emu.message(sent.messageId)?.content ?? '{}').header.title.content).toBe('INC-1 acked');
    expect(await client.urgent(sent.messageId, 'phone', [ALICE.openId, CAROL.openId])).toEqual({
      invalidUserIds: [CAROL.openId],
    });
    expect(await client.botInfo()).toEqual(BOT);
    expect(await client.resolveEmails([ALICE.email, 'nobody@example.com'])).toEqual(
      new Map([[ALICE.email, ALICE.openId]]),
    );
    expect(await client.chatMembers(ONCALL_CHAT)).toEqual([
      { openId: ALICE.openId, name: ALICE.name },
      { openId: BOB.openId, name: BOB.name },
    ]);
    const text = await client.sendText(ONCALL_CHAT, 'hello');
    expect(emu.message(text.messageId)?.content).toBe(JSON.stringify({ text: 'hello' }));
  });

  it('fetches a new token after the old one is revoked, once', async () => {
    const { emu, client } = await setup();
    await client.sendText(ONCALL_CHAT, 'one');
    emu.revokeTokens();
    await client.sendText(ONCALL_CHAT, 'two');
    expect(emu.calls(/tenant_access_token/)).toHaveLength(2);
    expect(emu.calls(/im\/v1\/messages/).map((c) => c.code)).toEqual([0, 99991663, 0]);
  });

  it('surfaces refusals with the kind the outbox acts on', async () => {
    // Frozen emulator time: the per-chat burst below falls in one second however slow the machine is.
    const { emu, client } = await setup({ hangMs: 2000, clock: new FakeClock(Date.now()) }, 300);
    const notInChat = await failure(client.sendText(OTHER_CHAT, 'x'));
    expect(notInChat).toMatchObject({ feishuCode: 230002, httpStatus: 400, kind: 'permanent' });
    expect(
      (await failure(client.sendCard(ONCALL_CHAT, { schema: '2.0', body: { elements: 'nope' } }))).feishuCode,
    ).toBe(230099);

    emu.faults.inject({ kind: 'rate_limit_app', count: 1 });
    const limited = await failure(client.sendText(ONCALL_CHAT, 'x'));
    expect(limited).toMatchObject({ feishuCode: 99991400, httpStatus: 429, kind: 'rate_limited', retryAfterMs: 1000 });
    emu.faults.inject({ kind: 'server_error', count: 1 });
    expect((await failure(client.sendText(ONCALL_CHAT, 'x'))).kind).toBe('transient');
    emu.faults.inject({ kind: 'timeout', count: 1 });
    expect(await failure(client.sendText(ONCALL_CHAT, 'x'))).toMatchObject({ kind: 'transient', httpStatus: 0 });

    for (let i = 0; i < 5; i++) await client.sendText(ONCALL_CHAT, `burst ${i}`).catch(() => undefined);
    const perChat = await failure(client.sendText(ONCALL_CHAT, 'one too many'));
    expect(perChat).toMatchObject({ feishuCode: 230020, kind: 'rate_limited' });
  });
});
