/**
 * The storm half of the ingest benchmark: the product's outbox worker drains the outbox into a Feishu fake that
 * records every call with its time, so the benchmark can count calls and check per-chat rates.
 */
import { OutboxWorker } from '../../src/feishu/outbox-worker.js';
import { systemClock } from '../../src/ports/clock.js';
import type { FeishuPort } from '../../src/ports/feishu.js';
import type { Logger } from '../../src/shared/log.js';
import type { Store } from '../../src/store/index.js';

interface Call {
  at: number;
  chatId: string;
  kind: string;
}

export function startStormDrain(store: Store, log: Logger) {
  const calls: Call[] = [];
  const chatOf = new Map<string, string>();
  let seq = 0;
  const record = (chatId: string, kind: string) => calls.push({ at: Date.now(), chatId, kind });
  const feishu: FeishuPort = {
    async sendCard(chatId) {
      record(chatId, 'send_card');
      const messageId = `om_${++seq}`;
      chatOf.set(messageId, chatId);
      return { messageId };
    },
    async sendText(chatId) {
      record(chatId, 'send_text');
      return { messageId: `om_${++seq}` };
    },
    async reply() {
      return { messageId: `om_${++seq}` };
    },
    async patchCard(messageId) {
      record(chatOf.get(messageId) ?? '?', 'patch_card');
    },
    async delayedCardUpdate() {},
    async urgent(messageId) {
      record(chatOf.get(messageId) ?? '?', 'urgent');
      return { invalidUserIds: [] };
    },
    async botInfo() {
      return { openId: 'ou_bot', name: 'bot' };
    },
    async resolveEmails() {
      return new Map();
    },
    async chatMembers() {
      return [];
    },
  };
  const worker = new OutboxWorker({ store, feishu, clock: systemClock, log });
  worker.start();
  return {
    poke: () => worker.poke(),
    async finish(timeoutMs: number) {
      const until = performance.now() + timeoutMs;
      while (
        (store.outbox.countByStatus().pending > 0 || store.cardRefresh.nextDueAt() !== undefined) &&
        performance.now() < until
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await worker.stop();
      const byKind: Record<string, number> = {};
      for (const c of calls) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
      // Messages to a chat (new cards, texts, replies) count against Feishu's 5/s per chat; patches and urgent
      // calls are limited per message and per app — the worker applies the per-chat budget to all of them.
      let maxPerChatPerSecond = 0;
      const byChat = new Map<string, number[]>();
      for (const c of calls) byChat.set(c.chatId, [...(byChat.get(c.chatId) ?? []), c.at]);
      for (const times of byChat.values()) {
        let lo = 0;
        for (let hi = 0; hi < times.length; hi++) {
          while ((times[hi] as number) - (times[lo] as number) >= 1000) lo++;
          maxPerChatPerSecond = Math.max(maxPerChatPerSecond, hi - lo + 1);
        }
      }
      return { calls: calls.length, byKind, maxPerChatPerSecond, pending: store.outbox.countByStatus().pending };
    },
  };
}
