/**
 * The Feishu port: everything the core asks of Feishu. The adapter over @larksuiteoapi/node-sdk lives in
 * src/feishu/; tests pass the sandbox emulator or a fake. Domain code never calls it directly for chat
 * messages: it queues an `OutgoingMessage` in the outbox (same transaction as its state change) and the outbox
 * worker calls the port within Feishu's rate limits.
 */

/** A Feishu card JSON 2.0 document (`schema: "2.0"`, `config.update_multi: true`). */
export type CardJson = Record<string, unknown>;

export interface SentMessage {
  messageId: string;
}

export type UrgentMode = 'app' | 'sms' | 'phone';

export interface FeishuPort {
  sendCard(chatId: string, card: CardJson, options?: { uuid?: string }): Promise<SentMessage>;
  sendText(chatId: string, text: string, options?: { uuid?: string }): Promise<SentMessage>;
  reply(
    messageId: string,
    message: { msgType: 'text' | 'interactive'; content: string },
    options?: { inThread?: boolean; uuid?: string },
  ): Promise<SentMessage>;
  patchCard(messageId: string, card: CardJson): Promise<void>;
  /** Delayed update through a card callback token (valid 30 min, twice). */
  delayedCardUpdate(token: string, card: CardJson): Promise<void>;
  urgent(messageId: string, mode: UrgentMode, openIds: string[]): Promise<{ invalidUserIds: string[] }>;
  botInfo(): Promise<{ openId: string; name: string }>;
  /** email → open_id for the emails Feishu knows. */
  resolveEmails(emails: string[]): Promise<Map<string, string>>;
  chatMembers(chatId: string): Promise<{ openId: string; name: string }[]>;
}

/**
 * What the outbox carries. Cards are addressed by a stable `cardKey` (e.g. `incident:42`): the worker records
 * the Feishu message id of the first `send_card` for a key, and later `patch_card`/`urgent` items for that key
 * use it. Items of one chat are sent in order, so a patch never overtakes its card.
 */
export type OutgoingMessage =
  | {
      kind: 'send_card';
      chatId: string;
      cardKey: string;
      card: CardJson;
      /** Sent instead when Feishu refuses `card` because it mentions everyone and the group forbids @all. */
      fallbackCard?: CardJson;
    }
  | { kind: 'patch_card'; chatId: string; cardKey: string; card: CardJson }
  | { kind: 'send_text'; chatId: string; text: string }
  | {
      kind: 'reply';
      chatId: string;
      messageId: string;
      msgType: 'text' | 'interactive';
      content: string;
      inThread?: boolean;
      /** Records the reply as this card, so later `patch_card`s for the key update it (the agent's card). */
      cardKey?: string;
    }
  | { kind: 'urgent'; chatId: string; cardKey: string; mode: UrgentMode; openIds: string[] }
  | { kind: 'card_update_token'; chatId: string; token: string; card: CardJson };
