/**
 * Drains the outbox to Feishu: the head of each chat's queue (so a chat's messages go out in order), at most
 * 5 per second per chat and 50 per second for the app, retrying rate limits (honouring
 * `x-ogw-ratelimit-reset`), 5xx and timeouts with exponential backoff and jitter for as long as it takes.
 * Only a permanent error (bot not in the chat, …) ends an item: it is marked failed, audited, and logged
 * with what to do. All state is in SQLite, so a restart resumes where it stopped.
 */
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { FeishuPort, OutgoingMessage } from '../ports/feishu.js';
import { hasEvent } from '../shared/domain-events.js';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import type { Store } from '../store/index.js';
import type { OutboxItem } from '../store/repos/outbox.js';
import { type FeishuApiError, toFeishuError } from './errors.js';
import { messageUuid } from './message-uuid.js';
import { counterOf, gaugeOf } from './metrics.js';
import { RateLimiter } from './rate-limit.js';
import { remedyFor } from './remedies.js';

export interface OutboxWorkerOptions {
  store: Store;
  feishu: FeishuPort;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
  perChatPerSecond?: number;
  appPerSecond?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often to look for new items when idle. */
  pollMs?: number;
  /** Items fetched per pass. */
  batch?: number;
  random?: () => number;
}

export class OutboxWorker {
  private readonly appLimit: RateLimiter;
  /** Feishu's message APIs also allow at most 1000 calls a minute per app. */
  private readonly appMinuteLimit = new RateLimiter(1000, 60_000);
  private readonly chatLimits = new Map<string, RateLimiter>();
  private readonly perChat: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly random: () => number;
  private readonly log: Logger;
  private running: Promise<void> | undefined;
  private stopped = true;
  private timer: TimerHandle | undefined;
  private wake: (() => void) | undefined;
  private readonly count: (kind: string, outcome: 'sent' | 'retry' | 'failed') => void;
  private readonly gauge: ((pending: number) => void) | undefined;
  private gaugeAt = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.perChat = o.perChatPerSecond ?? 5;
    this.appLimit = new RateLimiter(o.appPerSecond ?? 50);
    this.baseBackoffMs = o.baseBackoffMs ?? 1000;
    this.maxBackoffMs = o.maxBackoffMs ?? 60_000;
    this.pollMs = o.pollMs ?? 200;
    this.batch = o.batch ?? 50;
    this.random = o.random ?? Math.random;
    this.log = o.log.child({ component: 'outbox' });
    const counter =
      o.metrics &&
      counterOf(o.metrics, 'sre_nanobot_feishu_outbox_total', 'Outbox items processed', ['kind', 'outcome']);
    this.count = (kind, outcome) => counter?.inc({ kind, outcome });
    const gauge =
      o.metrics && gaugeOf(o.metrics, 'sre_nanobot_feishu_outbox_pending', 'Outbox items waiting to be sent');
    this.gauge = gauge ? (n) => gauge.set(n) : undefined;
  }

  /** Runs until `stop`; a committed `message.queued` wakes it at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.o.store.bus.subscribe((events) => {
      if (hasEvent(events, 'message.queued')) this.poke();
    });
    this.running = this.loop();
  }

  /** Finishes the pass in flight, then stops. Unsent items stay queued for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.poke();
    await this.running;
  }

  /** New work was queued: look now rather than at the next poll. */
  poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let nextAt: number;
      try {
        nextAt = await this.tick();
      } catch (err) {
        this.log.error({ err }, 'outbox pass failed');
        nextAt = this.o.clock.now() + this.pollMs;
      }
      if (this.stopped) break;
      const wait = Math.max(0, Math.min(nextAt - this.o.clock.now(), this.pollMs));
      if (wait === 0) {
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = this.o.clock.setTimeout(resolve, wait);
      });
      if (this.timer) this.o.clock.clearTimeout(this.timer);
    }
  }

  /**
   * One pass: sends every due chat head the budgets allow. Resolves to when the next pass has something to
   * do (now, a budget refill, or the next retry).
   */
  async tick(): Promise<number> {
    const now = this.o.clock.now();
    if (this.gauge && now - this.gaugeAt >= 1000) {
      this.gaugeAt = now;
      this.gauge(this.o.store.outbox.countByStatus().pending);
    }
    const due = this.o.store.outbox.due(now, this.batch);
    let nextAt = this.o.store.outbox.nextDueAt() ?? now + this.pollMs;
    const sends: Promise<void>[] = [];
    for (const item of due) {
      const chat = this.chatLimit(item.chatId);
      const chatAt = chat.nextAt(now);
      if (chatAt > now) {
        nextAt = Math.min(nextAt, chatAt);
        continue;
      }
      const appAt = Math.max(this.appLimit.nextAt(now), this.appMinuteLimit.nextAt(now));
      if (appAt > now) {
        nextAt = Math.min(nextAt, appAt);
        break;
      }
      const slots = [chat.take(now), this.appLimit.take(now), this.appMinuteLimit.take(now)];
      sends.push(
        this.send(item).finally(() => {
          for (const s of slots) s?.done(this.o.clock.now());
        }),
      );
    }
    await Promise.all(sends);
    this.forgetIdleChats(now);
    if (sends.length > 0) return this.o.clock.now();
    return Math.max(nextAt, now + 1);
  }

  private chatLimit(chatId: string): RateLimiter {
    let l = this.chatLimits.get(chatId);
    if (!l) {
      l = new RateLimiter(this.perChat);
      this.chatLimits.set(chatId, l);
    }
    return l;
  }

  private forgetIdleChats(now: number): void {
    if (this.chatLimits.size < 1000) return;
    for (const [id, l] of this.chatLimits) if (l.isIdle(now)) this.chatLimits.delete(id);
  }

  private async send(item: OutboxItem): Promise<void> {
    const msg = item.payload as unknown as OutgoingMessage;
    const { store, clock } = this.o;
    // A patch that kept failing while newer ones queued: only the newest state of the card is worth a PATCH.
    if (item.coalesceKey && item.attempts > 0 && store.outbox.supersedeIfNewer(item.id)) return;
    try {
      const messageId = await this.deliver(item, msg);
      store.tx(() => {
        if (msg.kind === 'send_card' && messageId) store.cards.record(msg.cardKey, msg.chatId, messageId, clock.now());
        if (msg.kind === 'reply' && msg.cardKey && messageId)
          store.cards.record(msg.cardKey, msg.chatId, messageId, clock.now());
        store.outbox.markSent(item.id, messageId ?? null, clock.now());
      });
      this.count(msg.kind, 'sent');
    } catch (err) {
      this.failed(item, msg, err instanceof MissingCard ? err : toFeishuError(msg.kind, err));
    }
  }

  /** Performs one item; resolves to the Feishu message id it produced or concerned. */
  private async deliver(item: OutboxItem, msg: OutgoingMessage): Promise<string | undefined> {
    const { feishu, store } = this.o;
    const uuid = messageUuid(item);
    switch (msg.kind) {
      case 'send_card': {
        const existing = store.cards.messageId(msg.cardKey);
        if (existing) return existing;
        try {
          return (await feishu.sendCard(msg.chatId, msg.card, { uuid })).messageId;
        } catch (err) {
          // A card that mentions everyone is refused where the group forbids @all: send its fallback instead.
          if (!msg.fallbackCard || toFeishuError('send_card', err).kind !== 'permanent') throw err;
          this.log.warn(
            { cardKey: msg.cardKey, chatId: msg.chatId, err: (err as Error).message },
            'card refused; sending its fallback (mentions the on-call instead of everyone)',
          );
          return (await feishu.sendCard(msg.chatId, msg.fallbackCard, { uuid: messageUuid(item, 'fallback') }))
            .messageId;
        }
      }
      case 'patch_card': {
        const target = store.cards.messageId(msg.cardKey);
        if (!target) throw new MissingCard(msg.cardKey);
        await feishu.patchCard(target, msg.card);
        return target;
      }
      case 'send_text':
        return (await feishu.sendText(msg.chatId, msg.text, { uuid })).messageId;
      case 'reply':
        return (
          await feishu.reply(
            msg.messageId,
            { msgType: msg.msgType, content: msg.content },
            { uuid, ...(msg.inThread ? { inThread: true } : {}) },
          )
        ).messageId;
      case 'urgent': {
        const target = store.cards.messageId(msg.cardKey);
        if (!target) throw new MissingCard(msg.cardKey);
        const r = await feishu.urgent(target, msg.mode, msg.openIds);
        if (r.invalidUserIds.length > 0) {
          this.log.warn(
            { cardKey: msg.cardKey, invalid: r.invalidUserIds },
            'urgent: some users could not be notified',
          );
        }
        return target;
      }
      case 'card_update_token':
        await feishu.delayedCardUpdate(msg.token, msg.card);
        return undefined;
      default: {
        const never: never = msg;
        throw new Error(`unknown outbox kind ${(never as { kind: string }).kind}`);
      }
    }
  }

  private failed(item: OutboxItem, msg: OutgoingMessage, e: FeishuApiError | MissingCard): void {
    const { store, clock } = this.o;
    const now = clock.now();
    if (e instanceof MissingCard || e.kind === 'permanent') {
      const code = e instanceof MissingCard ? undefined : e.feishuCode;
      const remedy =
        e instanceof MissingCard
          ? 'the card this update belongs to was never sent; see the failed send_card item for the same card'
          : remedyFor(code, e.httpStatus);
      this.count(msg.kind, 'failed');
      store.tx(() => {
        store.outbox.markFailed(item.id, e.message);
        store.audit.record(
          {
            actor: 'outbox',
            action: 'feishu.send_failed',
            target: msg.chatId,
            decision: 'gave_up',
            detail: { outboxId: item.id, kind: msg.kind, error: e.message, feishuCode: code ?? null, remedy },
          },
          now,
        );
      });
      this.log.error(
        { outboxId: item.id, chatId: msg.chatId, kind: msg.kind, feishuCode: code },
        `Feishu refused a message for good: ${e.message}. To fix: ${remedy}`,
      );
      return;
    }
    let wait: number;
    if (e.kind === 'rate_limited') {
      // A rate limit is not an outage: wait what Feishu asks (or a second), not an ever-growing backoff.
      wait = Math.max(e.retryAfterMs ?? 1000, 50) + Math.floor(this.random() * 250);
      if (e.feishuCode === 230020) this.chatLimit(msg.chatId).pause(now + wait);
      else this.appLimit.pause(now + wait);
    } else {
      wait = this.backoff(item.attempts);
    }
    this.count(msg.kind, 'retry');
    store.outbox.retryLater(item.id, e.message, now + wait);
    if (e.api === 'tenant_access_token') {
      this.log.error(
        { outboxId: item.id, feishuCode: e.feishuCode, waitMs: wait },
        `cannot get a tenant access token (${e.message}): check FEISHU_APP_ID, FEISHU_APP_SECRET and FEISHU_DOMAIN; messages stay queued`,
      );
      return;
    }
    this.log.warn(
      { outboxId: item.id, chatId: msg.chatId, kind: msg.kind, attempt: item.attempts + 1, waitMs: wait },
      `Feishu send will be retried: ${e.message}`,
    );
  }

  /** Exponential with jitter: base·2^attempts, capped, then scaled by 0.5–1.0. */
  private backoff(attempts: number): number {
    const exp = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.min(attempts, 20));
    return Math.floor(exp * (0.5 + this.random() * 0.5));
  }
}

class MissingCard extends Error {
  constructor(readonly cardKey: string) {
    super(`no Feishu message recorded for card ${cardKey}`);
  }
}
