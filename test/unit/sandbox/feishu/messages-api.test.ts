import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../../src/sandbox/feishu/index.js';
import {
  ALICE,
  BOB,
  BOT,
  CAROL,
  feishuError,
  ONCALL_CHAT,
  OTHER_CHAT,
  sdkClient,
  startTestEmulator,
} from '../../../helpers/feishu-emulator.js';

const card = (title: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: title }, template: 'red' },
    body: { elements: [{ tag: 'markdown', content: `**${title}**` }] },
    ...extra,
  });

describe('Feishu emulator: tenant token and messages', () => {
  let emu: FeishuEmulator;
  beforeEach(async () => {
    emu = await startTestEmulator();
  });
  afterEach(() => emu.close());

  it('issues a top-level tenant_access_token and rejects a wrong secret with 10014', async () => {
    const client = sdkClient(emu);
    const ok = await client.auth.tenantAccessToken.internal({
      data: { app_id: emu.app.appId, app_secret: emu.app.appSecret },
    });
    expect(ok).toMatchObject({ code: 0, msg: 'ok' });
    expect((ok as { expire: number }).expire).toBeGreaterThan(7000);
    expect((ok as { tenant_access_token: string }).tenant_access_token).toMatch(/^t-/);
    const bad = await feishuError(
      client.auth.tenantAccessToken.internal({ data: { app_id: emu.app.appId, app_secret: 'nope' } }),
    );
    expect(bad.code).toBe(10014);
    await expect(
      sdkClient(emu, 'wrong').im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: ONCALL_CHAT, msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
      }),
    ).rejects.toThrow();
  });

  it('sends a text and a card to a chat and answers like Feishu', async () => {
    const client = sdkClient(emu);
    const res = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: card('INC-1') },
    });
    expect(res.code).toBe(0);
    expect(res.msg).toBe('success');
    expect(res.data).toMatchObject({
      chat_id: ONCALL_CHAT,
      msg_type: 'interactive',
      sender: { id: emu.app.appId, id_type: 'app_id', sender_type: 'app' },
      body: { content: card('INC-1') },
    });
    expect(res.data?.message_id).toMatch(/^om_/);
    expect(Number(res.data?.create_time)).toBeGreaterThan(1_700_000_000_000);
    const stored = emu.messages(ONCALL_CHAT);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.sender).toEqual({ type: 'bot', openId: BOT.openId, name: BOT.name });
    const got = await client.im.message.get({ path: { message_id: res.data?.message_id ?? '' } });
    expect(got.data?.items?.[0]?.message_id).toBe(res.data?.message_id);
  });

  it('addresses users by open_id and email (p2p chat) and rejects unknown receive ids with 230034', async () => {
    const client = sdkClient(emu);
    const a = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE.openId, msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
    });
    const b = await client.im.message.create({
      params: { receive_id_type: 'email' },
      data: { receive_id: ALICE.email, msg_type: 'text', content: JSON.stringify({ text: 'again' }) },
    });
    expect(a.data?.chat_id).toBe(b.data?.chat_id);
    expect(a.data?.chat_id).not.toBe(ONCALL_CHAT);
    const err = await feishuError(
      client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_nobody', msg_type: 'text', content: JSON.stringify({ text: 'x' }) },
      }),
    );
    expect(err).toMatchObject({ status: 400, code: 230034 });
  });

  it('refuses what Feishu refuses: bot not in chat, bad or oversized cards, bad content', async () => {
    const client = sdkClient(emu);
    const send = (receive_id: string, msg_type: string, content: string) =>
      feishuError(
        client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id, msg_type, content } }),
      );
    expect((await send(OTHER_CHAT, 'text', JSON.stringify({ text: 'x' }))).code).toBe(230002);
    const parse = await send(ONCALL_CHAT, 'interactive', '{"schema":"2.0",');
    expect(parse.code).toBe(230099);
    expect(parse.msg).toContain('ErrCode: 200621');
    const big = card('x'.repeat(31 * 1024));
    expect((await send(ONCALL_CHAT, 'interactive', big)).code).toBe(230025);
    const tooMany = JSON.stringify({
      schema: '2.0',
      body: { elements: Array.from({ length: 201 }, () => ({ tag: 'markdown', content: 'x' })) },
    });
    expect((await send(ONCALL_CHAT, 'interactive', tooMany)).msg).toContain('ErrCode: 11310');
    expect((await send(ONCALL_CHAT, 'text', 'not json')).code).toBe(230001);
    const body = await send(ONCALL_CHAT, 'text', 'not json');
    expect(body.status).toBe(400);
    expect(emu.messages(ONCALL_CHAT)).toHaveLength(0);
  });

  it('checks the bearer token: missing → 99991661, revoked → 99991663', async () => {
    const res = await fetch(`${emu.url}/open-apis/bot/v3/info`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; error: { log_id: string } };
    expect(body.code).toBe(99991661);
    expect(body.error.log_id).toMatch(/^\d{14}[0-9A-F]{16}$/);
    const client = sdkClient(emu);
    const info = await client.request<{ bot: { open_id: string; app_name: string } }>({
      method: 'GET',
      url: '/open-apis/bot/v3/info',
    });
    expect(info.bot).toMatchObject({ open_id: BOT.openId, app_name: BOT.name });
    emu.revokeTokens();
    const err = await feishuError(client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }));
    expect(err.code).toBe(99991663);
  });

  it('replies with root/parent ids and opens a thread with reply_in_thread; dedupes by uuid', async () => {
    const client = sdkClient(emu);
    const root = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: card('INC-2'), uuid: 'card-inc-2' },
    });
    const again = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: card('INC-2'), uuid: 'card-inc-2' },
    });
    expect(again.data?.message_id).toBe(root.data?.message_id);
    const rootId = root.data?.message_id ?? '';
    const r1 = await client.im.message.reply({
      path: { message_id: rootId },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'diagnosis' }), reply_in_thread: true },
    });
    expect(r1.data).toMatchObject({ root_id: rootId, parent_id: rootId });
    expect(r1.data?.thread_id).toMatch(/^omt_/);
    const r2 = await client.im.message.reply({
      path: { message_id: r1.data?.message_id ?? '' },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'more' }) },
    });
    expect(r2.data).toMatchObject({ root_id: rootId, parent_id: r1.data?.message_id, thread_id: r1.data?.thread_id });
    expect(emu.messages(ONCALL_CHAT)).toHaveLength(3);
  });

  it('patches shared cards only (update_multi before and after), text via PUT', async () => {
    const client = sdkClient(emu);
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: card('firing') },
    });
    const id = sent.data?.message_id ?? '';
    await client.im.message.patch({ path: { message_id: id }, data: { content: card('resolved') } });
    expect(emu.message(id)?.content).toBe(card('resolved'));
    expect(emu.message(id)?.updateCount).toBe(1);
    const unshared = card('x', { config: { update_multi: false } });
    expect(
      (await feishuError(client.im.message.patch({ path: { message_id: id }, data: { content: unshared } }))).code,
    ).toBe(230001);
    const text = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'text', content: JSON.stringify({ text: 'a' }) },
    });
    const textId = text.data?.message_id ?? '';
    expect(
      (await feishuError(client.im.message.patch({ path: { message_id: textId }, data: { content: card('y') } }))).code,
    ).toBe(230001);
    await client.im.message.update({
      path: { message_id: textId },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'b' }) },
    });
    expect(emu.message(textId)?.content).toBe(JSON.stringify({ text: 'b' }));
  });

  it('urgent: records in-app/phone urgents, lists invalid ids, and needs the bot to be the sender', async () => {
    const client = sdkClient(emu);
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: card('P0') },
    });
    const id = sent.data?.message_id ?? '';
    const res = await client.im.message.urgentApp({
      path: { message_id: id },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: [ALICE.openId, CAROL.openId] },
    });
    expect(res.data?.invalid_user_id_list).toEqual([CAROL.openId]);
    await client.im.message.urgentPhone({
      path: { message_id: id },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: [BOB.openId] },
    });
    expect(emu.message(id)?.urgent.map((u) => [u.mode, u.openIds])).toEqual([
      ['app', [ALICE.openId]],
      ['phone', [BOB.openId]],
    ]);
    const userMsg = emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'hello' });
    const err = await feishuError(
      client.im.message.urgentApp({
        path: { message_id: userMsg.messageId },
        params: { user_id_type: 'open_id' },
        data: { user_id_list: [BOB.openId] },
      }),
    );
    expect(err.code).toBe(230012);
  });

  it('keeps app secrets and tokens out of the transcript', async () => {
    const client = sdkClient(emu);
    await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
    });
    const text = JSON.stringify(emu.transcript);
    expect(text).not.toContain(emu.app.appSecret);
    expect(text).not.toMatch(/"t-[0-9a-f]{40}"/);
    expect(emu.calls(/tenant_access_token/)).toHaveLength(1);
    expect(emu.calls(/im\/v1\/messages/)).toMatchObject([{ method: 'POST', status: 200, code: 0 }]);
  });

  it('waits for a message the bot sends later, or for a card to change', async () => {
    const client = sdkClient(emu);
    const waiting = emu.waitForMessage((m) => m.sender.type === 'bot' && m.content.includes('later'));
    setTimeout(() => {
      void client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: card('later') },
      });
    }, 20);
    const m = await waiting;
    expect(m.chatId).toBe(ONCALL_CHAT);
    const patched = emu.waitForMessage((x) => x.messageId === m.messageId && x.updateCount === 1);
    await client.im.message.patch({ path: { message_id: m.messageId }, data: { content: card('now') } });
    expect((await patched).content).toBe(card('now'));
    await expect(emu.waitForMessage(() => false, 50)).rejects.toThrow(/no matching message/);
  });

  it('lists chat history by chat and by thread, paged; unknown paths answer JSON 404', async () => {
    const client = sdkClient(emu);
    const first = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'text', content: JSON.stringify({ text: 'root' }) },
    });
    const root = first.data?.message_id ?? '';
    const r = await client.im.message.reply({
      path: { message_id: root },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'in thread' }), reply_in_thread: true },
    });
    emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: 'me too', rootId: r.data?.message_id ?? '' });
    const page1 = await client.im.message.list({
      params: { container_id_type: 'chat', container_id: ONCALL_CHAT, page_size: 2 },
    });
    expect(page1.data?.items?.map((m) => m.message_id)).toHaveLength(2);
    expect(page1.data?.has_more).toBe(true);
    const page2 = await client.im.message.list({
      params: {
        container_id_type: 'chat',
        container_id: ONCALL_CHAT,
        page_size: 2,
        page_token: page1.data?.page_token ?? '',
      },
    });
    expect(page2.data?.items).toHaveLength(1);
    expect(page2.data?.items?.[0]?.sender?.sender_type).toBe('user');
    const thread = await client.im.message.list({
      params: { container_id_type: 'thread', container_id: r.data?.thread_id ?? '' },
    });
    expect(thread.data?.items?.map((m) => JSON.parse(m.body?.content ?? '{}').text)).toEqual([
      'root',
      'in thread',
      'me too',
    ]);
    const res = await fetch(`${emu.url}/open-apis/nothing/here`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(400);
    const token = (await client.auth.tenantAccessToken.internal({
      data: { app_id: emu.app.appId, app_secret: emu.app.appSecret },
    })) as {
      tenant_access_token: string;
    };
    const missing = await fetch(`${emu.url}/open-apis/nothing/here`, {
      headers: { authorization: `Bearer ${token.tenant_access_token}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404 });
  });
});
