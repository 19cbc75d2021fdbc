import type { EmulatorApp, StoredMessage } from './types.js';
import type { Chat, Person, World } from './world.js';

/** The schema 2.0 envelope every event and new-style callback travels in. */
export function envelope(
  app: EmulatorApp,
  world: World,
  eventId: string,
  eventType: string,
  createTime: string,
  event: Record<string, unknown>,
): Record<string, unknown> {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: eventType,
      create_time: createTime,
      token: app.verificationToken ?? '',
      app_id: app.appId,
      tenant_key: world.tenantKey,
    },
    event,
  };
}

/** `im.message.receive_v1` for a message a user sent (feishu-platform.md §2). */
export function messageReceiveEvent(world: World, chat: Chat, from: Person, m: StoredMessage): Record<string, unknown> {
  const message: Record<string, unknown> = {
    message_id: m.messageId,
    create_time: String(m.createTime),
    update_time: String(m.updateTime),
    chat_id: chat.chatId,
    chat_type: chat.type,
    message_type: m.msgType,
    content: m.content,
  };
  if (m.rootId) message.root_id = m.rootId;
  if (m.parentId) message.parent_id = m.parentId;
  if (m.threadId) message.thread_id = m.threadId;
  if (m.mentions?.length) {
    message.mentions = m.mentions.map((x) => {
      const person = world.users.get(x.openId);
      return {
        key: x.key,
        id: {
          union_id: person?.unionId ?? `on_${x.openId.slice(3)}`,
          user_id: x.isBot ? '' : (person?.userId ?? ''),
          open_id: x.openId,
        },
        name: x.name,
        tenant_key: world.tenantKey,
        mentioned_type: x.isBot ? 'bot' : 'user',
      };
    });
  }
  return {
    sender: {
      sender_id: { union_id: from.unionId, user_id: from.userId, open_id: from.openId },
      sender_type: 'user',
      tenant_key: world.tenantKey,
    },
    message,
  };
}

export interface Mention {
  key: string;
  openId: string;
  name: string;
  isBot: boolean;
}

/**
 * Turns what a user typed into Feishu's stored form: each @-mention becomes `@_user_N` (N in mention order),
 * in place when the text contains `@Name`, otherwise in front of the text.
 */
export function placeMentions(
  text: string,
  targets: { openId: string; name: string; isBot: boolean }[],
): { text: string; mentions: Mention[] } {
  let out = text;
  const front: string[] = [];
  const mentions = targets.map((t, i) => {
    const key = `@_user_${i + 1}`;
    const inline = `@${t.name}`;
    if (out.includes(inline)) out = out.replace(inline, key);
    else front.push(key);
    return { key, ...t };
  });
  return { text: front.length ? `${front.join(' ')} ${out}` : out, mentions };
}

/** The `post` content a user's rich-text message carries, with `at` nodes for the mentions. */
export function postContent(text: string, mentions: Mention[]): Record<string, unknown> {
  const line: Record<string, unknown>[] = [];
  let rest = text;
  const all = { key: '@_all', openId: 'all', name: 'all', isBot: false };
  const ordered = [...mentions, ...(text.includes(all.key) ? [all] : [])].sort(
    (a, b) => text.indexOf(a.key) - text.indexOf(b.key),
  );
  for (const m of ordered) {
    const idx = rest.indexOf(m.key);
    if (idx < 0) continue;
    if (idx > 0) line.push({ tag: 'text', text: rest.slice(0, idx) });
    line.push(
      m.key === all.key
        ? { tag: 'at', user_id: 'all', user_name: '所有人' }
        : { tag: 'at', user_id: m.key, user_name: m.name },
    );
    rest = rest.slice(idx + m.key.length);
  }
  if (rest) line.push({ tag: 'text', text: rest });
  return { title: '', content: [line] };
}

/** `card.action.trigger` (new-style callback, feishu-platform.md §3.1). */
export function cardActionEvent(
  world: World,
  operator: Person,
  token: string,
  m: StoredMessage,
  action: { value: unknown; tag: string; name?: string; formValue?: Record<string, unknown> },
): Record<string, unknown> {
  const act: Record<string, unknown> = { value: action.value, tag: action.tag };
  if (action.name) act.name = action.name;
  if (action.formValue) act.form_value = action.formValue;
  return {
    operator: {
      tenant_key: world.tenantKey,
      user_id: operator.userId,
      open_id: operator.openId,
      union_id: operator.unionId,
    },
    token,
    action: act,
    host: 'im_message',
    context: { open_message_id: m.messageId, open_chat_id: m.chatId },
  };
}
