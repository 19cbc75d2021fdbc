/**
 * The `uuid` every message the outbox sends carries. Feishu creates at most one message per uuid within an
 * hour, so a message sent again because the answer was lost, the request timed out, or the bot crashed before
 * recording it as sent, appears once, and the call returns the first message's id. The uuid comes from the
 * outbox row alone (its id and the millisecond it was queued): the same on every attempt and after any restart,
 * and different for another database whose ids start again at 1. At most 50 characters, as Feishu requires.
 */
export function messageUuid(item: { id: number; createdAt: number }, variant?: 'fallback'): string {
  const base = `sre-nanobot-outbox-${item.id}-${item.createdAt.toString(36)}`;
  return variant ? `${base}-${variant}` : base;
}
