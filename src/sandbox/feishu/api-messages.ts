import type Router from '@koa/router';
import type { Context } from 'koa';
import { apiMessage } from './api-view.js';
import { isMsgType, isSharedCard, validateContent } from './content.js';
import type { FeishuEmulator } from './emulator.js';
import { E, FeishuApiError } from './errors.js';
import { bodyOf } from './middleware.js';
import type { StoredMessage } from './types.js';
import type { Chat } from './world.js';

const RECEIVE_ID_TYPES = ['chat_id', 'open_id', 'user_id', 'union_id', 'email'];
const UUID_WINDOW_MS = 60 * 60_000;

/** `im/v1/messages`: create, reply, card PATCH, text PUT, get and the urgent calls (feishu-platform.md §5.2, §6, §8). */
export function registerMessageRoutes(router: Router, emu: FeishuEmulator): void {
  const uuids = new Map<string, { messageId: string; at: number }>();

  const success = (ctx: Context, data: unknown) => {
    ctx.body = { code: 0, msg: 'success', data };
  };

  const findMessage = (id: string | undefined): StoredMessage => {
    const m = id ? emu.message(id) : undefined;
    if (!m) throw E.invalidParam(`message_id ${id ?? ''} not found`);
    return m;
  };

  const chatOf = (m: StoredMessage): Chat => {
    const chat = emu.world.chats.get(m.chatId);
    if (!chat) throw E.invalidParam('chat of the message not found');
    return chat;
  };

  const dedupe = (uuid: unknown): StoredMessage | undefined => {
    if (typeof uuid !== 'string' || uuid === '') return undefined;
    const seen = uuids.get(uuid);
    if (!seen || emu.now() - seen.at > UUID_WINDOW_MS) return undefined;
    return emu.message(seen.messageId);
  };

  /** The common path of create and reply: checks, per-chat limit, store, answer. */
  const send = (ctx: Context, chat: Chat, body: Record<string, unknown>, parent?: StoredMessage) => {
    const msgType = body.msg_type;
    if (!isMsgType(msgType)) throw E.badParam(`msg_type ${String(msgType)} is not supported here`);
    if (!chat.botInChat) throw E.botNotInChat();
    validateContent(msgType, body.content);
    const earlier = dedupe(body.uuid);
    if (earlier) return success(ctx, apiMessage(emu.world, emu.app.appId, earlier));
    const now = emu.now();
    if (emu.limits.chat.waitMs(chat.chatId, now) > 0) throw E.chatRate();
    emu.limits.chat.hit(chat.chatId, now);
    const log = emu.sendLog.get(chat.chatId) ?? [];
    log.push(now);
    emu.sendLog.set(chat.chatId, log);
    let threadId = parent?.threadId;
    if (parent && body.reply_in_thread === true && !threadId) {
      threadId = `omt_${parent.messageId.slice(3, 19)}`;
      parent.threadId = threadId;
    }
    const msg = emu.world.addMessage({
      chatId: chat.chatId,
      sender: { type: 'bot', openId: emu.bot.openId, name: emu.bot.name },
      msgType,
      content: body.content as string,
      now,
      ...(parent ? { rootId: parent.rootId ?? parent.messageId, parentId: parent.messageId } : {}),
      ...(threadId ? { threadId } : {}),
      ...(typeof body.uuid === 'string' && body.uuid ? { uuid: body.uuid } : {}),
    });
    if (msg.uuid) uuids.set(msg.uuid, { messageId: msg.messageId, at: now });
    success(ctx, apiMessage(emu.world, emu.app.appId, msg));
  };

  router.post('/open-apis/im/v1/messages', (ctx) => {
    const idType = String(ctx.query.receive_id_type ?? '');
    if (!RECEIVE_ID_TYPES.includes(idType)) throw E.badParam('receive_id_type is required');
    const body = bodyOf(ctx);
    const receiveId = body.receive_id;
    if (typeof receiveId !== 'string' || receiveId === '') throw E.badParam('receive_id is required');
    let chat: Chat | undefined;
    if (idType === 'chat_id') chat = emu.world.chats.get(receiveId);
    else {
      const user = emu.world.userByAnyId(idType, receiveId);
      if (user) chat = emu.world.p2pChatWith(user);
    }
    if (!chat) throw E.badReceiveId();
    send(ctx, chat, body);
  });

  /** Chat history (`im.message.list`): by chat or by thread, time-bounded (seconds), paged. */
  router.get('/open-apis/im/v1/messages', (ctx) => {
    const type = String(ctx.query.container_id_type ?? '');
    const id = String(ctx.query.container_id ?? '');
    if (type !== 'chat' && type !== 'thread') throw E.badParam('container_id_type must be chat or thread');
    let list: StoredMessage[];
    if (type === 'chat') {
      const chat = emu.world.chats.get(id);
      if (!chat) throw E.invalidParam(`chat ${id} not found`);
      if (!chat.botInChat) throw E.botNotInChat();
      list = emu.messages(id);
    } else {
      list = [...emu.world.messages.values()].filter((m) => m.threadId === id).sort((a, b) => a.seq - b.seq);
    }
    const from = Number(ctx.query.start_time ?? 0) * 1000;
    const to = ctx.query.end_time === undefined ? Number.POSITIVE_INFINITY : Number(ctx.query.end_time) * 1000;
    list = list.filter((m) => m.createTime >= from && m.createTime <= to);
    if (ctx.query.sort_type === 'ByCreateTimeDesc') list.reverse();
    const size = Math.min(50, Math.max(1, Number(ctx.query.page_size ?? 20) || 20));
    const token = String(ctx.query.page_token ?? '');
    const start = token ? Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10) || 0 : 0;
    const page = list.slice(start, start + size);
    const hasMore = start + page.length < list.length;
    success(ctx, {
      has_more: hasMore,
      page_token: hasMore ? Buffer.from(String(start + page.length)).toString('base64url') : '',
      items: page.map((m) => apiMessage(emu.world, emu.app.appId, m)),
    });
  });

  router.post('/open-apis/im/v1/messages/:message_id/reply', (ctx) => {
    const parent = findMessage(ctx.params.message_id);
    send(ctx, chatOf(parent), bodyOf(ctx), parent);
  });

  router.patch('/open-apis/im/v1/messages/:message_id', (ctx) => {
    const m = findMessage(ctx.params.message_id);
    if (m.sender.type !== 'bot') throw E.notOwner();
    if (m.msgType !== 'interactive') throw E.invalidParam('only interactive (card) messages can be patched');
    if (!chatOf(m).botInChat) throw E.botNotInChat();
    const next = validateContent('interactive', bodyOf(ctx).content);
    if (!isSharedCard(JSON.parse(m.content)) || !isSharedCard(next)) {
      throw E.invalidParam('the card must declare config.update_multi: true before and after the update');
    }
    const now = emu.now();
    if (emu.limits.patch.waitMs(m.messageId, now) > 0) throw E.chatRate();
    emu.limits.patch.hit(m.messageId, now);
    emu.world.updateContent(m, bodyOf(ctx).content as string, now);
    success(ctx, {});
  });

  router.put('/open-apis/im/v1/messages/:message_id', (ctx) => {
    const m = findMessage(ctx.params.message_id);
    if (m.sender.type !== 'bot') throw E.notOwner();
    const body = bodyOf(ctx);
    if (body.msg_type !== 'text' && body.msg_type !== 'post') throw E.badParam('msg_type must be text or post');
    if (m.msgType === 'interactive') throw E.invalidParam('cards are updated with PATCH');
    validateContent(body.msg_type, body.content);
    m.msgType = body.msg_type;
    emu.world.updateContent(m, body.content as string, emu.now());
    success(ctx, apiMessage(emu.world, emu.app.appId, m));
  });

  router.get('/open-apis/im/v1/messages/:message_id', (ctx) => {
    const m = findMessage(ctx.params.message_id);
    success(ctx, { items: [apiMessage(emu.world, emu.app.appId, m)] });
  });

  for (const mode of ['app', 'sms', 'phone'] as const) {
    router.patch(`/open-apis/im/v1/messages/:message_id/urgent_${mode}`, (ctx) => {
      const m = findMessage(ctx.params.message_id);
      const idType = String(ctx.query.user_id_type ?? '');
      if (!['open_id', 'user_id', 'union_id'].includes(idType)) throw E.badParam('user_id_type is required');
      const list = bodyOf(ctx).user_id_list;
      if (!Array.isArray(list) || list.length === 0) throw E.badParam('user_id_list is required');
      const chat = chatOf(m);
      if (!chat.botInChat) throw E.botNotInChat();
      if (m.sender.type !== 'bot') throw E.notSender();
      const valid: string[] = [];
      const invalid: string[] = [];
      for (const id of list) {
        const user = typeof id === 'string' ? emu.world.userByAnyId(idType, id) : undefined;
        if (user && chat.members.includes(user.openId)) valid.push(user.openId);
        else invalid.push(String(id));
      }
      if (valid.length === 0)
        throw new FeishuApiError(
          230001,
          'Your request contains an invalid request parameter: no valid user in user_id_list',
        );
      m.urgent.push({ mode, openIds: valid, at: emu.now() });
      emu.world.changed(m);
      success(ctx, { invalid_user_id_list: invalid });
    });
  }
}
