import type Router from '@koa/router';
import type { FeishuEmulator } from './emulator.js';
import { E, FeishuApiError } from './errors.js';
import { bodyOf } from './middleware.js';
import type { Chat, Person } from './world.js';

const ID_TYPES = ['open_id', 'user_id', 'union_id'];

function idOf(p: Person, idType: string): string {
  return idType === 'user_id' ? p.userId : idType === 'union_id' ? p.unionId : p.openId;
}

/** Chat info, chat members (bots not listed, paged), is_in_chat, and `contact/v3/users/batch_get_id`. */
export function registerChatRoutes(router: Router, emu: FeishuEmulator): void {
  const chatFor = (id: string | undefined): Chat => {
    const chat = id ? emu.world.chats.get(id) : undefined;
    if (!chat) throw new FeishuApiError(232010, 'Chat does not exist or the chat id is invalid.');
    return chat;
  };

  router.get('/open-apis/im/v1/chats', (ctx) => {
    const chats = [...emu.world.chats.values()].filter((c) => c.botInChat && c.type === 'group');
    ctx.body = {
      code: 0,
      msg: 'success',
      data: {
        items: chats.map((c) => ({
          chat_id: c.chatId,
          name: c.name,
          description: '',
          tenant_key: emu.world.tenantKey,
          external: false,
        })),
        page_token: '',
        has_more: false,
      },
    };
  });

  router.get('/open-apis/contact/v3/users/:user_id', (ctx) => {
    const idType = String(ctx.query.user_id_type ?? 'open_id');
    if (!ID_TYPES.includes(idType)) throw E.badParam('user_id_type');
    const p = emu.world.userByAnyId(idType, ctx.params.user_id ?? '');
    if (!p) throw new FeishuApiError(41050, 'no user authority error or user not found');
    ctx.body = {
      code: 0,
      msg: 'success',
      data: {
        user: {
          open_id: p.openId,
          union_id: p.unionId,
          user_id: p.userId,
          name: p.name,
          en_name: p.name,
          ...(p.email ? { email: p.email } : {}),
          status: activeStatus(),
        },
      },
    };
  });

  router.get('/open-apis/im/v1/chats/:chat_id', (ctx) => {
    const chat = chatFor(ctx.params.chat_id);
    if (!chat.botInChat) throw E.botNotInChat();
    ctx.body = {
      code: 0,
      msg: 'success',
      data: {
        chat_id: chat.chatId,
        name: chat.name,
        description: '',
        chat_mode: chat.type === 'p2p' ? 'p2p' : 'group',
        chat_type: 'private',
        external: false,
        tenant_key: emu.world.tenantKey,
        user_count: String(chat.members.length),
        bot_count: '1',
      },
    };
  });

  router.get('/open-apis/im/v1/chats/:chat_id/members', (ctx) => {
    const chat = chatFor(ctx.params.chat_id);
    if (!chat.botInChat) throw E.botNotInChat();
    const idType = String(ctx.query.member_id_type ?? 'open_id');
    if (!ID_TYPES.includes(idType)) throw E.badParam('member_id_type');
    const pageSize = Math.min(100, Math.max(1, Number(ctx.query.page_size ?? 20) || 20));
    const token = String(ctx.query.page_token ?? '');
    const start = token ? Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10) : 0;
    if (!Number.isInteger(start) || start < 0) throw E.badParam('page_token');
    const people = chat.members.map((id) => emu.world.users.get(id) ?? emu.world.person({ openId: id, name: id }));
    const page = people.slice(start, start + pageSize);
    const end = start + page.length;
    const hasMore = end < people.length;
    ctx.body = {
      code: 0,
      msg: 'success',
      data: {
        items: page.map((p) => ({
          member_id_type: idType,
          member_id: idOf(p, idType),
          name: p.name,
          tenant_key: emu.world.tenantKey,
        })),
        page_token: hasMore ? Buffer.from(String(end)).toString('base64url') : '',
        has_more: hasMore,
        member_total: people.length,
      },
    };
  });

  router.get('/open-apis/im/v1/chats/:chat_id/members/is_in_chat', (ctx) => {
    const chat = chatFor(ctx.params.chat_id);
    ctx.body = { code: 0, msg: 'success', data: { is_in_chat: chat.botInChat } };
  });

  router.post('/open-apis/contact/v3/users/batch_get_id', (ctx) => {
    const idType = String(ctx.query.user_id_type ?? 'open_id');
    if (!ID_TYPES.includes(idType)) throw E.badParam('user_id_type');
    const body = bodyOf(ctx);
    const emails = Array.isArray(body.emails) ? body.emails.map(String) : [];
    const mobiles = Array.isArray(body.mobiles) ? body.mobiles.map(String) : [];
    if (emails.length > 50 || mobiles.length > 50) throw E.badParam('at most 50 emails and 50 mobiles');
    const userList = [
      ...emails.map((email) => {
        const p = emu.world.userByAnyId('email', email);
        return p ? { user_id: idOf(p, idType), email, status: activeStatus() } : { email };
      }),
      ...mobiles.map((mobile) => ({ mobile })),
    ];
    ctx.body = { code: 0, msg: 'success', data: { user_list: userList } };
  });
}

function activeStatus() {
  return { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };
}
