/**
 * From `im.message.receive_v1` to the router's `IncomingMessage`: is the bot addressed (p2p, or its open_id
 * among the mentions, or a `/command` in a group when `commands.without_mention` is on), what does the text say with `@_user_N` placeholders turned into names, and who sent it.
 */
import type { IncomingMessage, Mention } from '../app/router.js';
import type { MessageEvent } from './schemas.js';

export type ParsedMessage =
  | { kind: 'addressed'; message: IncomingMessage }
  | { kind: 'ignored'; reason: 'own_message' | 'not_addressed' | 'not_from_user' };

export function parseMessageEvent(
  eventId: string,
  ev: MessageEvent,
  botOpenId: string | undefined,
  options: { commandsWithoutMention?: boolean } = {},
): ParsedMessage {
  const m = ev.message;
  const senderOpenId = ev.sender.sender_id?.open_id ?? '';
  if (botOpenId && senderOpenId === botOpenId) return { kind: 'ignored', reason: 'own_message' };
  if (ev.sender.sender_type && ev.sender.sender_type !== 'user') return { kind: 'ignored', reason: 'not_from_user' };

  const mentions: Mention[] = (m.mentions ?? []).map((x) => {
    const openId = x.id?.open_id ?? '';
    const isBot = botOpenId ? openId === botOpenId : x.mentioned_type === 'bot';
    return { key: x.key, openId, name: x.name ?? '', isBot };
  });
  const mentionedBot = mentions.some((x) => x.isBot);
  const chatType = m.chat_type === 'p2p' ? 'p2p' : 'group';
  const raw = contentText(m.message_type, m.content);
  if (chatType === 'group' && !mentionedBot && !(options.commandsWithoutMention && /^\s*[/／]/.test(raw))) {
    return { kind: 'ignored', reason: 'not_addressed' };
  }

  const message: IncomingMessage = {
    eventId,
    messageId: m.message_id,
    chatId: m.chat_id,
    chatType,
    senderOpenId,
    messageType: m.message_type,
    text: replaceMentions(raw, mentions),
    mentions,
    mentionedBot,
    createTime: Number(m.create_time ?? 0) || 0,
  };
  if (m.root_id) message.rootId = m.root_id;
  if (m.parent_id) message.parentId = m.parent_id;
  if (m.thread_id) message.threadId = m.thread_id;
  return { kind: 'addressed', message };
}

/** Mentions of the bot disappear; others become `@Name`; `@_all` becomes `@all`. Whitespace is tidied. */
export function replaceMentions(text: string, mentions: Mention[]): string {
  let out = text;
  // Longest keys first so @_user_1 does not eat the prefix of @_user_10.
  for (const mention of [...mentions].sort((a, b) => b.key.length - a.key.length)) {
    out = out.split(mention.key).join(mention.isBot ? '' : `@${mention.name || mention.openId}`);
  }
  out = out.replace(/@_all\b/g, '@all');
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .trim();
}

/** The readable text of a message's content JSON (text and post; other types give a short marker). */
export function contentText(messageType: string, content: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return '';
  }
  if (messageType === 'text')
    return typeof (parsed as { text?: unknown }).text === 'string' ? (parsed as { text: string }).text : '';
  if (messageType === 'post') return postText(parsed);
  return `[${messageType}]`;
}

interface PostNode {
  tag?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  href?: string;
}
interface PostBody {
  title?: string;
  content?: PostNode[][];
}

function postText(parsed: unknown): string {
  if (!parsed || typeof parsed !== 'object') return '';
  // Either {title, content} or {zh_cn: {title, content}, en_us: …}.
  let body = parsed as PostBody;
  if (!Array.isArray(body.content)) {
    const first = Object.values(parsed as Record<string, unknown>).find(
      (v) => v && typeof v === 'object' && Array.isArray((v as PostBody).content),
    );
    if (!first) return '';
    body = first as PostBody;
  }
  const lines = (body.content ?? []).map((para) =>
    (Array.isArray(para) ? para : [])
      .map((n) => {
        switch (n.tag) {
          case 'text':
          case 'a':
            return n.text ?? '';
          case 'at':
            return n.user_id === 'all' ? '@_all' : (n.user_id ?? '');
          case 'code_block':
            return n.text ?? '';
          case 'emotion':
            return '';
          default:
            return n.text ?? '';
        }
      })
      .join(''),
  );
  return [body.title ?? '', ...lines].filter((l) => l.length > 0).join('\n');
}
