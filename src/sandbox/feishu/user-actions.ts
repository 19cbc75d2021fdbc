import type { FeishuEmulator } from './emulator.js';
import { envelope, messageReceiveEvent, placeMentions, postContent } from './events.js';
import type { DeliveryResult } from './types.js';
import { newEventId } from './world.js';

export interface SendUserMessageInput {
  chatId: string;
  /** Open id of the user who types the message. */
  from: string;
  text: string;
  mentionBot?: boolean;
  mentionUsers?: string[];
  /** @all: Feishu leaves `@_all` in the text, without a mentions entry. */
  mentionAll?: boolean;
  /** Reply to this message (sets root_id/parent_id). */
  rootId?: string;
  messageType?: 'text' | 'post';
}

export interface SentUserMessage {
  messageId: string;
  /** Empty when the bot does not receive the message (a group message that does not @ the bot). */
  eventId: string;
  delivered: Promise<DeliveryResult>;
}

/**
 * What happens when a person sends a message: it is stored as Feishu stores it (`@_user_N` placeholders,
 * mentions in order) and pushed to the bot for p2p chats, for group messages that @ the bot, or for every group
 * message when the app holds the all-group-messages scope.
 */
export function sendUserMessage(emu: FeishuEmulator, input: SendUserMessageInput): SentUserMessage {
  const world = emu.world;
  const chat = world.chats.get(input.chatId);
  if (!chat) throw new Error(`unknown chat ${input.chatId}`);
  const from = world.users.get(input.from);
  if (!from) throw new Error(`unknown user ${input.from}`);
  const targets = [
    ...(input.mentionBot ? [{ openId: emu.bot.openId, name: emu.bot.name, isBot: true }] : []),
    ...(input.mentionUsers ?? []).map((id) => ({ openId: id, name: world.nameOf(id), isBot: false })),
  ];
  const placed = placeMentions(input.text, targets);
  if (input.mentionAll) {
    placed.text = placed.text.includes('@all') ? placed.text.replace('@all', '@_all') : `@_all ${placed.text}`;
  }
  const msgType = input.messageType ?? 'text';
  const content = msgType === 'post' ? postContent(placed.text, placed.mentions) : { text: placed.text };
  const parent = input.rootId ? world.messages.get(input.rootId) : undefined;
  const msg = world.addMessage({
    chatId: chat.chatId,
    sender: { type: 'user', openId: from.openId, name: from.name },
    msgType,
    content: JSON.stringify(content),
    now: emu.now(),
    ...(parent ? { rootId: parent.rootId ?? parent.messageId, parentId: parent.messageId } : {}),
    ...(parent?.threadId ? { threadId: parent.threadId } : {}),
    mentions: placed.mentions,
  });
  const reachesBot = chat.botInChat && (chat.type === 'p2p' || input.mentionBot === true || emu.allGroupMessages);
  if (!reachesBot) {
    const error = chat.botInChat ? 'the bot was not mentioned' : 'the bot is not in the chat';
    return {
      messageId: msg.messageId,
      eventId: '',
      delivered: Promise.resolve({ ok: false, attempts: 0, status: 0, error }),
    };
  }
  const eventId = newEventId();
  const payload = envelope(
    emu.app,
    world,
    eventId,
    'im.message.receive_v1',
    String(msg.createTime),
    messageReceiveEvent(world, chat, from, msg),
  );
  return {
    messageId: msg.messageId,
    eventId,
    delivered: emu.events.deliver(eventId, 'im.message.receive_v1', payload),
  };
}

/** The bot joins or leaves a chat: `im.chat.member.bot.added_v1` / `im.chat.member.bot.deleted_v1`. */
export function setBotInChat(
  emu: FeishuEmulator,
  chatId: string,
  inChat: boolean,
  operatorOpenId?: string,
): Promise<DeliveryResult> {
  const world = emu.world;
  const chat = world.chats.get(chatId);
  if (!chat) throw new Error(`unknown chat ${chatId}`);
  chat.botInChat = inChat;
  const operator = world.users.get(operatorOpenId ?? chat.members[0] ?? '');
  const eventType = inChat ? 'im.chat.member.bot.added_v1' : 'im.chat.member.bot.deleted_v1';
  const eventId = newEventId();
  const payload = envelope(emu.app, world, eventId, eventType, String(emu.now()), {
    chat_id: chat.chatId,
    operator_id: operator
      ? { union_id: operator.unionId, user_id: operator.userId, open_id: operator.openId }
      : { union_id: '', user_id: '', open_id: '' },
    external: false,
    operator_tenant_key: world.tenantKey,
    name: chat.name,
    i18n_names: { zh_cn: chat.name, en_us: chat.name },
  });
  // A bot that has just left no longer hears anything but this one event.
  return emu.events.deliver(eventId, eventType, payload);
}
