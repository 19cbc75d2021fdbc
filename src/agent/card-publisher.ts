/**
 * Posts the agent's card once (a reply in the thread, or a new card in the chat) and updates it in place through
 * the outbox: progress at most once per `card_refresh_delay` (the per-card patch rate; a patch queued behind an
 * unsent one replaces it), the final state always.
 */
import type { AppContext } from '../app/context.js';
import type { CardJson } from '../ports/feishu.js';

export class AgentCardPublisher {
  private posted = false;
  private lastPatchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: AppContext,
    readonly cardKey: string,
    private readonly chatId: string,
    private readonly replyTo: string | undefined,
    private readonly inThread: boolean,
  ) {}

  /** Posts the card the first time, patches it afterwards; `force` skips the rate limit (final states). */
  show(card: CardJson, force = false): boolean {
    const { store, clock, config } = this.ctx;
    const now = clock.now();
    if (!this.posted) {
      this.posted = true;
      this.lastPatchAt = now;
      if (this.replyTo) {
        store.outbox.enqueueMessage(
          {
            kind: 'reply',
            chatId: this.chatId,
            messageId: this.replyTo,
            msgType: 'interactive',
            content: JSON.stringify(card),
            inThread: this.inThread,
            cardKey: this.cardKey,
          },
          now,
          { dedupeKey: `reply_card:${this.cardKey}` },
        );
      } else {
        store.outbox.enqueueMessage({ kind: 'send_card', chatId: this.chatId, cardKey: this.cardKey, card }, now);
      }
      return true;
    }
    const delay = config.file.card_refresh_delay;
    if (!force && now - this.lastPatchAt < delay) return false;
    this.lastPatchAt = now;
    store.outbox.enqueueMessage({ kind: 'patch_card', chatId: this.chatId, cardKey: this.cardKey, card }, now);
    return true;
  }

  /** A publisher for a card posted before (a resumed run). */
  static existing(ctx: AppContext, cardKey: string, chatId: string): AgentCardPublisher {
    const p = new AgentCardPublisher(ctx, cardKey, chatId, undefined, false);
    p.posted = true;
    return p;
  }
}
