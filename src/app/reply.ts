/**
 * Answering people: every reply goes through the outbox (sent in order, within Feishu's rate limits, retried),
 * never straight to Feishu.
 */
import { createHash } from 'node:crypto';
import type { CardJson } from '../ports/feishu.js';
import { type Translate, translator } from '../shared/i18n.js';
import type { AppContext } from './context.js';
import type { IncomingMessage } from './router.js';

export function translate(ctx: AppContext): Translate {
  return translator(ctx.config.locale);
}

/** Queues a text reply to `msg` (in its thread when it came from one). */
export function replyText(ctx: AppContext, msg: IncomingMessage, text: string): number {
  return ctx.store.outbox.enqueueMessage(
    {
      kind: 'reply',
      chatId: msg.chatId,
      messageId: msg.messageId,
      msgType: 'text',
      content: JSON.stringify({ text }),
      inThread: Boolean(msg.threadId),
    },
    ctx.clock.now(),
    { dedupeKey: `reply:${msg.messageId}:${hashText(text)}` },
  );
}

/** Queues a card reply to `msg`. */
export function replyCard(ctx: AppContext, msg: IncomingMessage, card: CardJson): number {
  const content = JSON.stringify(card);
  return ctx.store.outbox.enqueueMessage(
    {
      kind: 'reply',
      chatId: msg.chatId,
      messageId: msg.messageId,
      msgType: 'interactive',
      content,
      inThread: Boolean(msg.threadId),
    },
    ctx.clock.now(),
    { dedupeKey: `reply:${msg.messageId}:${hashText(content)}` },
  );
}

function hashText(s: string): string {
  return createHash('sha1').update(s).digest('hex').slice(0, 16);
}
