import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { type Clock, systemClock } from '../../ports/clock.js';
import { registerAuthRoutes } from './api-auth.js';
import { registerCardRoutes } from './api-cards.js';
import { registerChatRoutes } from './api-chats.js';
import { registerMessageRoutes } from './api-messages.js';
import { oauthRoutes } from './api-oauth.js';
import { type CardTokens, clickButton } from './click.js';
import { EventDelivery, type Transport, WebhookTransport } from './delivery.js';
import { feishuErrors } from './errors.js';
import { Faults, LIMITS, SlidingWindow } from './limits.js';
import { gateway, readBody, recordApiCalls } from './middleware.js';
import { registerSandboxApi } from './sandbox-api.js';
import type {
  ClickResult,
  DeliveryConfig,
  DeliveryResult,
  EmulatorApp,
  EmulatorChat,
  EmulatorOptions,
  EmulatorUser,
  StoredMessage,
  TranscriptEntry,
} from './types.js';
import { type SendUserMessageInput, type SentUserMessage, sendUserMessage, setBotInChat } from './user-actions.js';
import { World } from './world.js';
import { LongConnection, type WsClientConfig } from './ws.js';

export type EmulatorConstructorOptions = EmulatorOptions<FeishuEmulator> & {
  /** Deliver every group message to the bot (the `im:message.group_msg` scope), not only those that @ it. */
  allGroupMessages?: boolean;
  /** Overrides of the long connection's client config (seconds), e.g. a short PingInterval in tests. */
  wsClientConfig?: Partial<WsClientConfig>;
};

/**
 * A loopback Feishu Open Platform: the Open API subset the bot calls (validated, rate limited, with Feishu's
 * error codes), event and callback delivery to the bot (webhook or long connection), a transcript, and the
 * JSON state API the sandbox page reads. Everything lives in memory.
 */
export class FeishuEmulator {
  readonly app: EmulatorApp;
  readonly world: World;
  readonly clock: Clock;
  readonly faults: Faults;
  readonly koa = new Koa();
  readonly router = new Router();
  /** Live tenant access tokens → expiry (ms). */
  readonly tokens = new Map<string, number>();
  readonly cardTokens: CardTokens = new Map();
  readonly limits = {
    chat: new SlidingWindow(LIMITS.perChatPerSecond, 1000),
    patch: new SlidingWindow(LIMITS.perMessagePatchPerSecond, 1000),
    appSecond: new SlidingWindow(LIMITS.appPerSecond, 1000),
    appMinute: new SlidingWindow(LIMITS.appPerMinute, 60_000),
  };
  /** Accepted create/reply timestamps per chat (for "≤ 5 msg/s per chat" assertions). */
  readonly sendLog = new Map<string, number[]>();
  readonly ackDeadlineMs: number;
  readonly hangMs: number;
  readonly allGroupMessages: boolean;
  readonly events: EventDelivery;
  private delivery: DeliveryConfig | undefined;
  private transportOverride: Transport | undefined;
  private readonly webhook: WebhookTransport;
  /** The long-connection server (used when delivery is `{ mode: 'websocket' }`). */
  readonly longConnection: LongConnection;
  private readonly server: Server;
  private readonly closers: (() => void)[] = [];
  url = '';

  constructor(options: EmulatorConstructorOptions) {
    this.app = options.app;
    this.clock = options.clock ?? systemClock;
    this.world = new World(options.app.appId, options.bot, options.users, options.chats);
    this.faults = new Faults(() => this.clock.now());
    this.ackDeadlineMs = options.ackDeadlineMs ?? 3000;
    this.hangMs = options.hangMs ?? 10_000;
    this.allGroupMessages = options.allGroupMessages ?? false;
    this.delivery = options.delivery;
    this.webhook = new WebhookTransport(() => this.delivery, options.app.encryptKey, this.clock);
    this.events = new EventDelivery(
      () => this.transport,
      this.world,
      this.clock,
      options.retryDelaysMs ?? [15_000, 300_000, 3_600_000, 21_600_000],
      this.ackDeadlineMs,
      () => (this.delivery?.mode === 'webhook' ? new URL(this.delivery.eventsUrl).pathname : 'ws'),
    );
    this.koa.silent = true;
    this.koa.use(recordApiCalls(this));
    this.koa.use(feishuErrors(() => this.now()));
    this.koa.use(readBody());
    this.koa.use(oauthRoutes(this));
    this.koa.use(gateway(this));
    registerAuthRoutes(this.router, this);
    registerMessageRoutes(this.router, this);
    registerChatRoutes(this.router, this);
    registerCardRoutes(this.router, this);
    registerSandboxApi(this.router, this);
    this.longConnection = new LongConnection(this, options.wsClientConfig);
    this.longConnection.routes(this.router);
    for (const plugin of options.plugins ?? []) plugin(this.router, this);
    this.koa.use(this.router.routes());
    this.koa.use(this.router.allowedMethods());
    this.koa.use(async (ctx) => {
      // Unknown Open API paths answer like Feishu's gateway, in JSON.
      if (ctx.path.startsWith('/open-apis/') && ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { code: 404, msg: '404 page not found' };
      }
    });
    this.server = createServer(this.koa.callback());
    this.longConnection.attach(this.server);
    this.onClose(() => this.longConnection.close());
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
  }

  /** The HTTP server (the long-connection endpoint attaches its WebSocket server to it). */
  get httpServer(): Server {
    return this.server;
  }

  now(): number {
    return this.clock.now();
  }

  get transcript(): TranscriptEntry[] {
    return this.world.transcript;
  }

  get bot(): { openId: string; name: string } {
    return this.world.bot;
  }

  getDelivery(): DeliveryConfig | undefined {
    return this.delivery;
  }

  setDelivery(delivery: DeliveryConfig): void {
    this.delivery = delivery;
  }

  /** Routes pushes through another transport (the long connection uses this). */
  setTransport(transport: Transport | undefined): void {
    this.transportOverride = transport;
  }

  get transport(): Transport {
    if (this.transportOverride) return this.transportOverride;
    return this.delivery?.mode === 'websocket' ? this.longConnection : this.webhook;
  }

  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  issueToken(): { token: string; expire: number } {
    const now = this.now();
    for (const [token, expiresAt] of this.tokens) {
      // Feishu hands back the current token while it has more than 30 minutes left.
      if (expiresAt - now > 30 * 60_000) return { token, expire: Math.floor((expiresAt - now) / 1000) };
    }
    const token = `t-${randomBytes(20).toString('hex')}`;
    this.tokens.set(token, now + 7200_000);
    return { token, expire: 7200 };
  }

  /** Invalidates every tenant access token (calls with them now get 99991663). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  messages(chatId: string): StoredMessage[] {
    return this.world.messagesOf(chatId);
  }

  message(messageId: string): StoredMessage | undefined {
    return this.world.messages.get(messageId);
  }

  /** Open API calls received so far, optionally only those whose path matches. */
  calls(path?: RegExp): TranscriptEntry[] {
    return this.transcript.filter((e) => e.kind === 'api' && e.direction === 'in' && (!path || path.test(e.path)));
  }

  /**
   * Resolves with the first message (existing or future, added or changed) that matches, e.g. the bot's reply to
   * an event; rejects after `timeoutMs` of real time.
   */
  waitForMessage(match: (m: StoredMessage) => boolean, timeoutMs = 5000): Promise<StoredMessage> {
    const existing = [...this.world.messages.values()].find(match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.world.onChange((m) => {
        if (!match(m)) return;
        clearTimeout(timer);
        off();
        resolve(m);
      });
    });
  }

  /** Accepted create/reply timestamps for one chat. */
  sendTimes(chatId: string): number[] {
    return [...(this.sendLog.get(chatId) ?? [])];
  }

  /** The largest number of messages the bot got accepted in one chat within any 1-second window. */
  maxSendsPerSecond(chatId: string): number {
    const times = this.sendTimes(chatId);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] ?? 0) - (times[j] ?? 0) >= 1000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  /** A person types a message in a chat; it reaches the bot as `im.message.receive_v1` when it would on Feishu. */
  sendUserMessage(input: SendUserMessageInput): SentUserMessage {
    return sendUserMessage(this, input);
  }

  /** Adds a person to the tenant (and, with `chatIds`, to those chats). */
  addUser(user: EmulatorUser, chatIds: string[] = []): void {
    this.world.users.set(user.openId, this.world.person(user));
    for (const id of chatIds) {
      const chat = this.world.chats.get(id);
      if (chat && !chat.members.includes(user.openId)) chat.members.push(user.openId);
    }
  }

  /** Creates a chat; a chat created with the bot in it announces `im.chat.member.bot.added_v1`. */
  addChat(chat: EmulatorChat, operator?: string): Promise<DeliveryResult> | undefined {
    this.world.chats.set(chat.chatId, { ...chat, members: [...chat.members], botInChat: false });
    return chat.botInChat === false ? undefined : setBotInChat(this, chat.chatId, true, operator);
  }

  /** Adds the bot to a chat or removes it (`im.chat.member.bot.added_v1` / `deleted_v1` to the bot). */
  setBotInChat(chatId: string, inChat: boolean, operator?: string): Promise<DeliveryResult> {
    return setBotInChat(this, chatId, inChat, operator);
  }

  /** Pushes an already-delivered event again, unchanged (duplicate delivery, as Feishu may do). */
  redeliver(eventId: string): Promise<DeliveryResult> {
    return this.events.redeliver(eventId);
  }

  /** A user clicks a card button: a `card.action.trigger` callback, the answer applied as Feishu does. */
  clickButton(input: {
    messageId: string;
    operator: string;
    value: unknown;
    name?: string;
    tag?: string;
  }): Promise<ClickResult> {
    return clickButton(this, input);
  }

  async close(): Promise<void> {
    this.events.close();
    for (const fn of this.closers.splice(0)) fn();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
