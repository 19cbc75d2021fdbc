import type Router from '@koa/router';
import { pageMessage } from './api-view.js';
import type { FeishuEmulator } from './emulator.js';
import { bodyOf } from './middleware.js';

/**
 * The JSON state API the sandbox page is built on. The contract (keep it stable):
 *
 * - `GET /sandbox/api/state` → `{ bot:{openId,name}, users:[{openId,name}], chats:[{chatId,name,type}] }`
 * - `GET /sandbox/api/chats/:chatId/messages` → `{ messages:[{ seq, messageId, chatId,
 *     sender:{type:'bot'|'user', openId, name}, msgType:'text'|'post'|'interactive', content (parsed JSON),
 *     createTime, updateTime, updateCount, rootId?, parentId?, urgent?:[{mode, openIds}],
 *     toasts?:[{type, content, at}], mentions?:[{key, openId, name}] }] }` — a patched card shows its latest
 *     content; `mentions` resolve the `@_user_N` keys in what people typed.
 * - `POST /sandbox/api/chats/:chatId/messages` `{ userOpenId, text, mentionBot, mentionUsers?, rootId? }` →
 *   `{ messageId }`
 *   (stored in the chat and delivered to the bot as `im.message.receive_v1` when it would be on Feishu).
 * - `POST /sandbox/api/click` `{ messageId, operatorOpenId, value, name? }` → `{ status, toast?, ms }`
 *   (a `card.action.trigger` callback; a card in the answer replaces the message's card).
 * - `GET /sandbox/api/transcript` → `{ entries: TranscriptEntry[] }`.
 *
 * Errors: HTTP 400/404 with `{ error: string }`.
 */
export function registerSandboxApi(router: Router, emu: FeishuEmulator): void {
  router.get('/sandbox/api/state', (ctx) => {
    ctx.body = {
      bot: { openId: emu.bot.openId, name: emu.bot.name },
      users: [...emu.world.users.values()].map((u) => ({ openId: u.openId, name: u.name })),
      chats: [...emu.world.chats.values()].map((c) => ({ chatId: c.chatId, name: c.name, type: c.type })),
    };
  });

  router.get('/sandbox/api/chats/:chatId/messages', (ctx) => {
    if (!emu.world.chats.has(ctx.params.chatId ?? '')) {
      ctx.status = 404;
      ctx.body = { error: `unknown chat ${ctx.params.chatId}` };
      return;
    }
    ctx.body = { messages: emu.messages(ctx.params.chatId ?? '').map(pageMessage) };
  });

  router.post('/sandbox/api/chats/:chatId/messages', (ctx) => {
    const body = bodyOf(ctx);
    if (typeof body.userOpenId !== 'string' || typeof body.text !== 'string' || body.text.trim() === '') {
      ctx.status = 400;
      ctx.body = { error: 'userOpenId and text are required' };
      return;
    }
    try {
      const sent = emu.sendUserMessage({
        chatId: ctx.params.chatId ?? '',
        from: body.userOpenId,
        text: body.text,
        mentionBot: body.mentionBot === true,
        ...(Array.isArray(body.mentionUsers) ? { mentionUsers: body.mentionUsers.map(String) } : {}),
        ...(typeof body.rootId === 'string' && body.rootId ? { rootId: body.rootId } : {}),
      });
      void sent.delivered.catch(() => undefined);
      ctx.body = { messageId: sent.messageId };
    } catch (err) {
      ctx.status = 400;
      ctx.body = { error: (err as Error).message };
    }
  });

  router.post('/sandbox/api/click', async (ctx) => {
    const body = bodyOf(ctx);
    if (typeof body.messageId !== 'string' || typeof body.operatorOpenId !== 'string') {
      ctx.status = 400;
      ctx.body = { error: 'messageId and operatorOpenId are required' };
      return;
    }
    try {
      const r = await emu.clickButton({
        messageId: body.messageId,
        operator: body.operatorOpenId,
        value: body.value ?? {},
        ...(typeof body.name === 'string' ? { name: body.name } : {}),
      });
      const toast = r.toast ?? (r.error ? { type: 'error', content: `${r.error.msg} (${r.error.code})` } : undefined);
      ctx.body = { status: r.status, ms: r.ms, ...(toast ? { toast } : {}) };
    } catch (err) {
      ctx.status = 400;
      ctx.body = { error: (err as Error).message };
    }
  });

  router.get('/sandbox/api/transcript', (ctx) => {
    ctx.body = { entries: emu.transcript };
  });
}
