import { readFileSync } from 'node:fs';
import { encryptEvent, signBody } from '../../src/feishu/crypto.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture file of documented Feishu payloads
export const examples: any = JSON.parse(
  readFileSync(new URL('../fixtures/feishu/examples.json', import.meta.url), 'utf8'),
);
export const VERIFICATION_TOKEN: string = examples._meta.verification_token;
export const ENCRYPT_KEY = 'test-encrypt-key';
export const BOT_OPEN_ID: string = examples._meta.bot_open_id;

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** A message event like the group-mention example, with its ids and text replaced. */
export function messageEvent(over: {
  eventId?: string;
  messageId?: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  text?: string;
  mentionBot?: boolean;
  senderOpenId?: string;
}) {
  const body = clone(examples.im_message_receive_v1_group_text_bot_mention.body);
  if (over.eventId) body.header.event_id = over.eventId;
  const m = body.event.message;
  if (over.messageId) m.message_id = over.messageId;
  if (over.chatId) m.chat_id = over.chatId;
  if (over.chatType) m.chat_type = over.chatType;
  if (over.senderOpenId) body.event.sender.sender_id.open_id = over.senderOpenId;
  if (over.mentionBot === false) m.mentions = m.mentions.filter((x: { key: string }) => x.key !== '@_user_1');
  if (over.text !== undefined) m.content = JSON.stringify({ text: over.text });
  return body;
}

export function cardEvent(value: unknown, eventId = `ev_card_${Math.random().toString(16).slice(2)}`) {
  const body = clone(examples.card_action_trigger_button.body);
  body.header.event_id = eventId;
  body.event.action.value = value;
  return body;
}

/** The wire form of an event with an Encrypt Key: compact `{"encrypt":…}` and its signature headers. */
export function sealed(event: unknown, nowMs: number, key = ENCRYPT_KEY) {
  const raw = JSON.stringify({ encrypt: encryptEvent(key, JSON.stringify(event)) });
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = 'n0nce';
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signBody(timestamp, nonce, key, raw),
    } as Record<string, string>,
  };
}
