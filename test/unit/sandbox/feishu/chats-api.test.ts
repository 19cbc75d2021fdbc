import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../../src/sandbox/feishu/index.js';
import {
  ALICE,
  BOB,
  feishuError,
  ONCALL_CHAT,
  OTHER_CHAT,
  sdkClient,
  startTestEmulator,
} from '../../../helpers/feishu-emulator.js';

describe('Feishu emulator: chats and contacts', () => {
  let emu: FeishuEmulator;
  beforeEach(async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      openId: `ou_member${String(i).padStart(2, '0')}`,
      name: `M${i}`,
    }));
    emu = await startTestEmulator({
      users: [ALICE, BOB, ...many],
      chats: [
        { chatId: ONCALL_CHAT, name: 'SRE on-call', type: 'group', members: [ALICE.openId, BOB.openId] },
        { chatId: OTHER_CHAT, name: 'Big', type: 'group', members: many.map((m) => m.openId) },
        { chatId: 'oc_nobot', name: 'No bot', type: 'group', members: [ALICE.openId], botInChat: false },
      ],
    });
  });
  afterEach(() => emu.close());

  it('lists chat members page by page, without the bot', async () => {
    const client = sdkClient(emu);
    const first = await client.im.chatMembers.get({
      path: { chat_id: OTHER_CHAT },
      params: { member_id_type: 'open_id', page_size: 10 },
    });
    expect(first.data?.items).toHaveLength(10);
    expect(first.data?.has_more).toBe(true);
    expect(first.data?.member_total).toBe(25);
    const all: string[] = [];
    for await (const page of await client.im.chatMembers.getWithIterator({
      path: { chat_id: OTHER_CHAT },
      params: { member_id_type: 'open_id', page_size: 10 },
    })) {
      for (const item of page?.items ?? []) all.push(item.member_id ?? '');
    }
    expect(all).toHaveLength(25);
    expect(new Set(all).size).toBe(25);
    const small = await client.im.chatMembers.get({
      path: { chat_id: ONCALL_CHAT },
      params: { member_id_type: 'open_id' },
    });
    expect(small.data?.items?.map((i) => i.name)).toEqual(['Alice', 'Bob']);
  });

  it('answers is_in_chat and chat info, and 230002 for a chat without the bot', async () => {
    const client = sdkClient(emu);
    expect((await client.im.chatMembers.isInChat({ path: { chat_id: ONCALL_CHAT } })).data?.is_in_chat).toBe(true);
    expect((await client.im.chatMembers.isInChat({ path: { chat_id: 'oc_nobot' } })).data?.is_in_chat).toBe(false);
    const info = await client.im.chat.get({ path: { chat_id: ONCALL_CHAT } });
    expect(info.data?.name).toBe('SRE on-call');
    expect((await feishuError(client.im.chatMembers.get({ path: { chat_id: 'oc_nobot' } }))).code).toBe(230002);
  });

  it('resolves emails to open ids; unknown emails come back without user_id', async () => {
    const client = sdkClient(emu);
    const res = await client.contact.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { emails: ['alice@example.com', 'ghost@example.com'] },
    });
    expect(res.data?.user_list).toEqual([
      expect.objectContaining({ email: 'alice@example.com', user_id: ALICE.openId }),
      { email: 'ghost@example.com' },
    ]);
  });

  it('lists the group chats the bot is in and reads a user', async () => {
    const client = sdkClient(emu);
    const chats = await client.im.chat.list({});
    expect(chats.data?.items?.map((c) => c.chat_id).sort()).toEqual([ONCALL_CHAT, OTHER_CHAT].sort());
    const user = await client.contact.user.get({
      path: { user_id: ALICE.openId },
      params: { user_id_type: 'open_id' },
    });
    expect(user.data?.user).toMatchObject({ open_id: ALICE.openId, name: 'Alice', email: 'alice@example.com' });
    expect((await feishuError(client.contact.user.get({ path: { user_id: 'ou_ghost' } }))).code).toBe(41050);
  });
});
