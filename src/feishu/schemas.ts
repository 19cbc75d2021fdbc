/**
 * The shapes Feishu sends, as zod schemas (loose: Feishu adds fields over time). One discriminated union of
 * the events we act on; anything else is acknowledged and recorded as ignored.
 */
import { z } from 'zod';

export const UrlVerificationSchema = z.looseObject({
  type: z.literal('url_verification'),
  challenge: z.string(),
  token: z.string().optional(),
});

export const EnvelopeHeaderSchema = z.looseObject({
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  create_time: z.union([z.string(), z.number()]).optional(),
  token: z.string().optional(),
  app_id: z.string().optional(),
  tenant_key: z.string().optional(),
});

export const EnvelopeSchema = z.looseObject({
  schema: z.literal('2.0'),
  header: EnvelopeHeaderSchema,
  event: z.looseObject({}).optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

const UserIdSchema = z.looseObject({
  open_id: z.string().nullish(),
  union_id: z.string().nullish(),
  user_id: z.string().nullish(),
});

export const MentionSchema = z.looseObject({
  key: z.string(),
  id: UserIdSchema.nullish(),
  name: z.string().nullish(),
  mentioned_type: z.string().nullish(),
});

export const MessageEventSchema = z.looseObject({
  sender: z.looseObject({
    sender_id: UserIdSchema.nullish(),
    sender_type: z.string().nullish(),
  }),
  message: z.looseObject({
    message_id: z.string().min(1),
    root_id: z.string().nullish(),
    parent_id: z.string().nullish(),
    thread_id: z.string().nullish(),
    create_time: z.string().nullish(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(MentionSchema).nullish(),
  }),
});
export type MessageEvent = z.infer<typeof MessageEventSchema>;

export const CardActionEventSchema = z.looseObject({
  operator: z.looseObject({ open_id: z.string().nullish() }).nullish(),
  token: z.string().nullish(),
  action: z.looseObject({ value: z.unknown(), tag: z.string().nullish(), name: z.string().nullish() }),
  context: z.looseObject({ open_message_id: z.string().nullish(), open_chat_id: z.string().nullish() }).nullish(),
});
export type CardActionEvent = z.infer<typeof CardActionEventSchema>;

export const MESSAGE_EVENT = 'im.message.receive_v1';
export const CARD_EVENT = 'card.action.trigger';
