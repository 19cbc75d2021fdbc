import type { StoredMessage } from './types.js';
import type { World } from './world.js';

/** A stored message as the Open API returns it (`data` of create/reply, `data.items[]` of get). */
export function apiMessage(world: World, appId: string, m: StoredMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    message_id: m.messageId,
    root_id: m.rootId ?? '',
    parent_id: m.parentId ?? '',
    msg_type: m.msgType,
    create_time: String(m.createTime),
    update_time: String(m.updateTime),
    deleted: false,
    updated: m.updateCount > 0,
    chat_id: m.chatId,
    sender:
      m.sender.type === 'bot'
        ? { id: appId, id_type: 'app_id', sender_type: 'app', tenant_key: world.tenantKey }
        : { id: m.sender.openId, id_type: 'open_id', sender_type: 'user', tenant_key: world.tenantKey },
    body: { content: m.content },
  };
  if (m.threadId) out.thread_id = m.threadId;
  if (m.mentions?.length) {
    out.mentions = m.mentions.map((x) => ({
      key: x.key,
      id: x.openId,
      id_type: 'open_id',
      name: x.name,
      tenant_key: world.tenantKey,
    }));
  }
  return out;
}

/** A stored message as the sandbox page reads it (GET /sandbox/api/chats/:chatId/messages). */
export function pageMessage(m: StoredMessage): Record<string, unknown> {
  let content: unknown;
  try {
    content = JSON.parse(m.content);
  } catch {
    content = { text: m.content };
  }
  const out: Record<string, unknown> = {
    seq: m.seq,
    messageId: m.messageId,
    chatId: m.chatId,
    sender: m.sender,
    msgType: m.msgType,
    content,
    createTime: m.createTime,
    updateTime: m.updateTime,
    updateCount: m.updateCount,
  };
  if (m.rootId) out.rootId = m.rootId;
  if (m.parentId) out.parentId = m.parentId;
  if (m.mentions?.length) out.mentions = m.mentions.map((x) => ({ key: x.key, openId: x.openId, name: x.name }));
  if (m.urgent.length) out.urgent = m.urgent.map((u) => ({ mode: u.mode, openIds: u.openIds }));
  if (m.toasts.length) out.toasts = m.toasts;
  if (m.mentions?.length) out.mentions = m.mentions.map((x) => ({ key: x.key, openId: x.openId, name: x.name }));
  return out;
}
