import type Router from '@koa/router';
import type { Clock } from '../../ports/clock.js';

export interface EmulatorApp {
  /** `cli_` + 16 hex characters (the node SDK's WSClient refuses anything else). */
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
}

export interface EmulatorUser {
  openId: string;
  name: string;
  email?: string;
}

export interface EmulatorChat {
  chatId: string;
  name: string;
  type: 'group' | 'p2p';
  /** Open ids of the human members. */
  members: string[];
  /** Whether the bot has been added to the chat (default true). */
  botInChat?: boolean;
}

export type DeliveryConfig = { mode: 'webhook'; eventsUrl: string; cardUrl?: string } | { mode: 'websocket' };

export type FaultKind = 'server_error' | 'timeout' | 'rate_limit_app' | 'rate_limit_chat';

export interface FaultSpec {
  /** Which Open API paths fail (default: every `/open-apis/` path). */
  path?: RegExp;
  kind: FaultKind;
  /** How many requests fail (default 1, or unlimited while `durationMs` runs). */
  count?: number;
  /** How long the fault lasts from now. */
  durationMs?: number;
}

export interface EmulatorOptions<P = unknown> {
  port?: number;
  host?: string;
  app: EmulatorApp;
  bot: { openId: string; name: string };
  users: EmulatorUser[];
  chats: EmulatorChat[];
  delivery?: DeliveryConfig;
  /** Re-delivery schedule for events not acknowledged in time; Feishu's is 15 s, 5 min, 1 h, 6 h. */
  retryDelaysMs?: number[];
  /** How long the bot has to answer an event or callback with HTTP 200 (Feishu: 3 s). */
  ackDeadlineMs?: number;
  /** How long a held (`timeout` fault) Open API request hangs before it is answered 504. */
  hangMs?: number;
  clock?: Clock;
  plugins?: ((router: Router, emulator: P) => void)[];
}

export type MsgType = 'text' | 'post' | 'interactive';

export interface Toast {
  type: string;
  content: string;
  at: number;
}

export interface StoredMessage {
  seq: number;
  messageId: string;
  chatId: string;
  sender: { type: 'bot' | 'user'; openId: string; name: string };
  msgType: MsgType;
  /** The content JSON string as Feishu stores it. */
  content: string;
  createTime: number;
  updateTime: number;
  updateCount: number;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  uuid?: string;
  mentions?: { key: string; openId: string; name: string; isBot: boolean }[];
  urgent: { mode: 'app' | 'sms' | 'phone'; openIds: string[]; at: number }[];
  toasts: Toast[];
}

export type TranscriptKind = 'api' | 'event' | 'callback' | 'ws';

export interface TranscriptEntry {
  seq: number;
  at: number;
  /** `in`: a call the bot made to the Open API; `out`: a delivery to the bot. */
  direction: 'in' | 'out';
  kind: TranscriptKind;
  method: string;
  path: string;
  /** HTTP status (0 when there was no answer in time). */
  status: number;
  /** Feishu business code of the answer (Open API) or of the client-side error (callbacks). */
  code?: number;
  ms: number;
  eventId?: string;
  eventType?: string;
  attempt?: number;
  error?: string;
  request?: unknown;
  response?: unknown;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  /** HTTP status of the last attempt (0 = no answer in time or no connection). */
  status: number;
  error?: string;
}

export interface ClickResult {
  /** HTTP status of the bot's answer (0 when it did not answer in time). */
  status: number;
  /** The parsed answer body (undefined if empty or not JSON). */
  body: unknown;
  ms: number;
  toast?: { type: string; content: string };
  /** The error Feishu's client would show (200341 timeout, 200671 non-200, 200672 bad body, 200673 bad card). */
  error?: { code: number; msg: string };
  cardUpdated: boolean;
}
