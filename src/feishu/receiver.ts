/**
 * The Feishu receiver: verify, decrypt, deduplicate, acknowledge, hand off. It never waits for the work an
 * event causes: messages and other events are claimed in SQLite and run on a bounded queue after the answer;
 * card clicks are answered within Feishu's 3 s window (a late handler's card follows by delayed update).
 * Both the HTTP routes and the long connection feed `handleEnvelope`. With FEISHU_ENCRYPT_KEY set, a webhook
 * body must be encrypted (Feishu then encrypts everything, challenges included) and signed; events are stored
 * without their tokens (`stored-event.ts`).
 */

import { type ActorResolver, type Person, staticActorResolver } from '../access/actor.js';
import { type AppContext, type EventContext, eventContext } from '../app/context.js';
import { translate } from '../app/reply.js';
import type { CardActionResult, CardClick, Router } from '../app/router.js';
import { checkJsonDepth } from '../http/json-depth.js';
import { CodedError, describeError } from '../shared/errors.js';
import { EventClaims } from './claims.js';
import { decryptEvent, signatureMatches, signBody, timestampMs } from './crypto.js';
import { parseMessageEvent } from './message.js';
import { counterOf } from './metrics.js';
import {
  CARD_EVENT,
  CardActionEventSchema,
  type Envelope,
  EnvelopeSchema,
  MESSAGE_EVENT,
  type MessageEvent,
  MessageEventSchema,
  UrlVerificationSchema,
} from './schemas.js';
import { storableEvent } from './stored-event.js';
import { WorkQueue } from './work-queue.js';

export interface ReceiverOptions {
  ctx: AppContext;
  router: Router;
  /** The bot's own open_id (from bot/v3/info); `undefined` while unknown. */
  botOpenId: () => Promise<string | undefined>;
  queue?: WorkQueue;
  /** Answer card clicks by then even if the handler is still running (Feishu gives up at 3 s). */
  cardDeadlineMs?: number;
  /** Refuse signed requests whose timestamp is further than this from now (replay protection). */
  timestampWindowMs?: number;
  /** Who an open_id is (default: the configured `people` matched by open_id). */
  actors?: ActorResolver;
  /** How long a message's handlers may work (`ctx.deadline`). */
  messageBudgetMs?: number;
}

export type HeaderReader = (name: string) => string | undefined;
export type FeishuResponse = Record<string, unknown>;

export class FeishuReceiver {
  readonly queue: WorkQueue;
  private readonly ctx: AppContext;
  private readonly cardDeadlineMs: number;
  private readonly windowMs: number;
  private readonly lateCards = new Set<Promise<unknown>>();
  private readonly claims: EventClaims;
  private readonly counted: (type: string, outcome: string) => void;
  private readonly actors: ActorResolver;
  /** Aborted when the bot stops: every event context's signal. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: ReceiverOptions) {
    this.ctx = options.ctx;
    this.queue = options.queue ?? new WorkQueue();
    this.cardDeadlineMs = options.cardDeadlineMs ?? 2500;
    this.windowMs = options.timestampWindowMs ?? 5 * 60_000;
    this.claims = new EventClaims(options.ctx.store);
    this.actors = options.actors ?? staticActorResolver(options.ctx.config.file.people as Person[]);
    const counter = counterOf(options.ctx.metrics, 'sre_nanobot_feishu_events_total', 'Feishu events and callbacks', [
      'type',
      'outcome',
    ]);
    this.counted = (type, outcome) => counter.inc({ type, outcome });
  }

  /** One webhook delivery (`POST /feishu/events` or `/feishu/card`). Throws CodedError for refusals. */
  async handleWebhook(raw: Buffer, parsed: unknown, header: HeaderReader): Promise<FeishuResponse> {
    const { encryptKey } = this.ctx.config.feishu;
    if (!parsed || typeof parsed !== 'object') throw new CodedError('bad_request', 'expected a JSON object');
    let body = parsed as Record<string, unknown>;
    if (typeof body.encrypt === 'string') {
      if (!encryptKey) {
        throw new CodedError('signature_mismatch', 'encrypted event received but FEISHU_ENCRYPT_KEY is not set');
      }
      body = decryptBody(encryptKey, body.encrypt);
    } else if (encryptKey) {
      // With an Encrypt Key, Feishu encrypts every event, callback and challenge: a plain one is not from Feishu.
      throw new CodedError(
        'unauthorized',
        'unencrypted request refused: FEISHU_ENCRYPT_KEY is set, so Feishu sends {"encrypt": …}; if the console has no Encrypt Key any more, unset FEISHU_ENCRYPT_KEY',
      );
    }

    const challenge = UrlVerificationSchema.safeParse(body);
    if (challenge.success) {
      this.checkToken(challenge.data.token);
      return { challenge: challenge.data.challenge };
    }

    if (encryptKey) this.checkSignature(raw, header, encryptKey);
    const headerToken = (body.header as { token?: unknown } | undefined)?.token ?? body.token;
    this.checkToken(typeof headerToken === 'string' ? headerToken : undefined);
    return this.handleEnvelope(body, 'webhook');
  }

  /** A verified schema 2.0 event, from either transport; resolves to Feishu's answer body. */
  async handleEnvelope(body: unknown, source: 'webhook' | 'websocket'): Promise<FeishuResponse> {
    const parsed = EnvelopeSchema.safeParse(body);
    if (!parsed.success) {
      throw new CodedError('bad_request', 'not a schema 2.0 event; subscribe with the 2.0 event format');
    }
    const envelope = parsed.data;
    const type = envelope.header.event_type;
    if (type === CARD_EVENT) return this.handleCard(envelope);

    let id = envelope.header.event_id;
    let message: MessageEvent | undefined;
    if (type === MESSAGE_EVENT) {
      const m = MessageEventSchema.safeParse(envelope.event);
      if (!m.success) {
        this.ctx.log.warn(
          { eventId: id, source, issue: m.error.issues[0]?.message },
          'message event without the expected fields; ignored',
        );
        return {};
      }
      message = m.data;
      id = m.data.message.message_id;
    }
    if (this.queue.isFull()) {
      throw new CodedError('rate_limited', 'event queue is full; Feishu will deliver this event again later');
    }
    const fresh = await this.claims.claim(id, type, storableEvent(envelope), this.ctx.clock.now());
    if (!fresh) {
      this.counted(type, 'duplicate');
      this.ctx.log.debug({ eventId: envelope.header.event_id, id, source }, 'redelivered event ignored');
      return {};
    }
    this.counted(type, 'accepted');
    this.queue.push(() => this.process(id, envelope, message));
    return {};
  }

  /** Events acknowledged before a stop but not finished: run them now. Card clicks cannot be answered late. */
  resumeUnfinished(): number {
    let resumed = 0;
    for (const e of this.ctx.store.events.unfinished()) {
      if (e.kind === CARD_EVENT) {
        this.ctx.store.events.markFailed(e.id, 'interrupted by a restart before the click was handled');
        continue;
      }
      const envelope = EnvelopeSchema.safeParse(JSON.parse(e.payload));
      if (!envelope.success) {
        this.ctx.store.events.markFailed(e.id, 'stored payload is not a schema 2.0 event');
        continue;
      }
      if (this.queue.push(() => this.process(e.id, envelope.data))) resumed++;
    }
    if (resumed > 0) this.ctx.log.info({ resumed }, 'resuming events acknowledged before the last stop');
    return resumed;
  }

  /** Tells handlers still running that the bot is stopping (their `ctx.signal`). */
  abort(): void {
    this.stopping.abort();
  }

  /** Resolves when queued work and late card handlers are done (tests, graceful stop). */
  async idle(): Promise<void> {
    await Promise.all([this.queue.idle(), ...this.lateCards]);
    this.claims.flush();
  }

  private async process(id: string, envelope: Envelope, parsed?: MessageEvent): Promise<void> {
    const type = envelope.header.event_type;
    const log = this.ctx.log.child({ eventId: envelope.header.event_id, eventType: type });
    try {
      if (type === MESSAGE_EVENT) {
        const ev = parsed ?? MessageEventSchema.parse(envelope.event);
        const msg = parseMessageEvent(envelope.header.event_id, ev, await this.options.botOpenId(), {
          commandsWithoutMention: this.ctx.config.file.commands.without_mention,
        });
        if (msg.kind === 'addressed') {
          const ctx = this.contextFor(envelope.header.event_id, type, msg.message.senderOpenId, msg.message.chatId, {
            budgetMs: this.options.messageBudgetMs ?? 10 * 60_000,
          });
          await this.options.router.dispatchMessage(msg.message, ctx);
        } else log.debug({ reason: msg.reason }, 'message not for the bot');
      } else {
        log.debug('event type not handled; acknowledged');
      }
      this.claims.markHandled(id);
    } catch (err) {
      this.counted(type, 'failed');
      log.error({ err, id }, 'handling the event failed; recorded as failed');
      this.ctx.store.events.markFailed(id, describeError(err));
    }
  }

  /** The context one event's handlers get. */
  private contextFor(
    eventId: string,
    eventType: string,
    openId: string | undefined,
    chatId: string,
    o: { budgetMs: number },
  ): EventContext {
    return eventContext(this.ctx, {
      eventId,
      actor: this.actors.resolve(openId),
      chatId,
      deadline: this.ctx.clock.now() + o.budgetMs,
      signal: this.stopping.signal,
      logFields: { eventType },
    });
  }

  private async handleCard(envelope: Envelope): Promise<FeishuResponse> {
    const eventId = envelope.header.event_id;
    const parsed = CardActionEventSchema.safeParse(envelope.event);
    if (!parsed.success) throw new CodedError('bad_request', 'card callback without an action');
    const ev = parsed.data;
    if (!(await this.claims.claim(eventId, CARD_EVENT, storableEvent(envelope), this.ctx.clock.now()))) {
      this.counted(CARD_EVENT, 'duplicate');
      return {};
    }
    this.counted(CARD_EVENT, 'accepted');
    const click: CardClick = {
      operatorOpenId: ev.operator?.open_id ?? '',
      messageId: ev.context?.open_message_id ?? '',
      chatId: ev.context?.open_chat_id ?? '',
      token: ev.token ?? '',
      eventId,
    };
    const ctx = this.contextFor(eventId, CARD_EVENT, click.operatorOpenId, click.chatId, {
      budgetMs: this.cardDeadlineMs,
    });
    const work = this.options.router.dispatchCardAction(ev.action.value, click, ctx);
    const result = await this.withinDeadline(work);
    if (result !== 'late') {
      this.ctx.store.events.markHandled(eventId);
      return toCardResponse(result);
    }
    this.counted(CARD_EVENT, 'late');
    this.ctx.log.warn({ eventId }, 'card handler is slower than the callback window; answering first');
    const late = work.then((r) => {
      if (r.card && click.token) {
        this.ctx.store.outbox.enqueueMessage(
          { kind: 'card_update_token', chatId: click.chatId, token: click.token, card: r.card },
          this.ctx.clock.now(),
        );
      }
      this.ctx.store.events.markHandled(eventId);
    });
    this.lateCards.add(late);
    void late.finally(() => this.lateCards.delete(late));
    return { toast: { type: 'info', content: translate(this.ctx)('card.working') } };
  }

  private withinDeadline(work: Promise<CardActionResult>): Promise<CardActionResult | 'late'> {
    return new Promise((resolve) => {
      const timer = this.ctx.clock.setTimeout(() => resolve('late'), this.cardDeadlineMs);
      void work.then((r) => {
        this.ctx.clock.clearTimeout(timer);
        resolve(r);
      });
    });
  }

  private checkToken(token: string | undefined): void {
    const expected = this.ctx.config.feishu.verificationToken;
    if (expected !== undefined && token !== expected) {
      throw new CodedError('token_mismatch', 'verification token mismatch: check FEISHU_VERIFICATION_TOKEN');
    }
  }

  private checkSignature(raw: Buffer, header: HeaderReader, encryptKey: string): void {
    const ts = header('x-lark-request-timestamp') ?? '';
    const nonce = header('x-lark-request-nonce') ?? '';
    const signature = header('x-lark-signature') ?? '';
    if (!signature || !ts) {
      throw new CodedError(
        'signature_mismatch',
        'unsigned request while FEISHU_ENCRYPT_KEY is set: check FEISHU_ENCRYPT_KEY in the console',
      );
    }
    const at = timestampMs(ts);
    if (at === undefined || Math.abs(this.ctx.clock.now() - at) > this.windowMs) {
      throw new CodedError(
        'signature_mismatch',
        'request timestamp outside the replay window: check this host clock (NTP) and FEISHU_ENCRYPT_KEY',
      );
    }
    if (!signatureMatches(signBody(ts, nonce, encryptKey, raw), signature)) {
      throw new CodedError('signature_mismatch', 'signature mismatch: check FEISHU_ENCRYPT_KEY');
    }
  }
}

function decryptBody(encryptKey: string, encrypted: string): Record<string, unknown> {
  let text: string;
  try {
    text = decryptEvent(encryptKey, encrypted);
  } catch {
    throw new CodedError('signature_mismatch', 'cannot decrypt the event: check FEISHU_ENCRYPT_KEY');
  }
  checkJsonDepth(text, 'the decrypted event');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CodedError('signature_mismatch', 'cannot decrypt the event: check FEISHU_ENCRYPT_KEY');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new CodedError('bad_request', 'the decrypted event is not a JSON object');
  }
  return body as Record<string, unknown>;
}

export function toCardResponse(result: CardActionResult): FeishuResponse {
  const out: FeishuResponse = {};
  if (result.toast) out.toast = result.toast;
  if (result.card) out.card = { type: 'raw', data: result.card };
  return out;
}
