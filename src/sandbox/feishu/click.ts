import { randomBytes } from 'node:crypto';
import { CARD_LIMIT_BYTES, validateCard } from './content.js';
import type { FeishuEmulator } from './emulator.js';
import { FeishuApiError } from './errors.js';
import { cardActionEvent, envelope } from './events.js';
import type { ClickResult, StoredMessage } from './types.js';
import { newEventId } from './world.js';

export interface CardToken {
  messageId: string;
  createdAt: number;
  uses: number;
  /** Delayed updates only count once the callback has been answered. */
  answered: boolean;
}

export type CardTokens = Map<string, CardToken>;

type Json = Record<string, unknown>;

/** Client-side errors Feishu shows when a callback goes wrong (feishu-platform.md §3.1). */
const CLIENT_ERRORS = {
  timeout: { code: 200341, msg: 'callback request timed out' },
  status: { code: 200671, msg: 'callback answered with a non-200 status' },
  body: { code: 200672, msg: 'callback answer is not a valid JSON object' },
  card: { code: 200673, msg: 'callback answer carries an invalid card' },
} as const;

/**
 * A `card.action.trigger` round trip: push the callback (never retried), then apply the answer as Feishu's
 * client does — a toast is shown, a `card: {type: 'raw', data}` replaces the message's card at once.
 */
export async function clickButton(
  emu: FeishuEmulator,
  input: { messageId: string; operator: string; value: unknown; name?: string; tag?: string },
): Promise<ClickResult> {
  const m = emu.message(input.messageId);
  if (!m) throw new Error(`unknown message ${input.messageId}`);
  if (m.msgType !== 'interactive') throw new Error(`message ${input.messageId} is not a card`);
  const operator = emu.world.users.get(input.operator);
  if (!operator) throw new Error(`unknown user ${input.operator}`);
  const now = emu.now();
  const token = `c-${randomBytes(20).toString('hex')}`;
  const record: CardToken = { messageId: m.messageId, createdAt: now, uses: 0, answered: false };
  emu.cardTokens.set(token, record);
  const eventId = newEventId();
  const action = { value: input.value, tag: input.tag ?? 'button', ...(input.name ? { name: input.name } : {}) };
  const payload = envelope(
    emu.app,
    emu.world,
    eventId,
    'card.action.trigger',
    String(now * 1000),
    cardActionEvent(emu.world, operator, token, m, action),
  );
  const out = await emu.transport.push('callback', payload, emu.ackDeadlineMs);
  record.answered = true;

  let body: unknown;
  try {
    body = out.body ? JSON.parse(out.body) : undefined;
  } catch {
    body = undefined;
  }
  const result: ClickResult = { status: out.status, body, ms: Math.round(out.ms), cardUpdated: false };
  if (out.error !== undefined && out.status === 0) result.error = CLIENT_ERRORS.timeout;
  else if (out.status !== 200) result.error = CLIENT_ERRORS.status;
  else if (body === null || typeof body !== 'object' || Array.isArray(body)) result.error = CLIENT_ERRORS.body;
  else applyAnswer(emu, m, body as Json, result);

  if (result.error) {
    m.toasts.push({ type: 'error', content: `${result.error.msg} (${result.error.code})`, at: emu.now() });
  }
  if (result.error || result.toast) emu.world.changed(m);
  emu.world.record({
    at: now,
    direction: 'out',
    kind: 'callback',
    method: 'POST',
    path: callbackPath(emu),
    status: out.status,
    ...(result.error ? { code: result.error.code, error: out.error ?? result.error.msg } : {}),
    ms: result.ms,
    eventId,
    eventType: 'card.action.trigger',
    attempt: 1,
    request: payload,
    response: out.body,
  });
  return result;
}

function callbackPath(emu: FeishuEmulator): string {
  const d = emu.getDelivery();
  if (d?.mode !== 'webhook') return 'ws';
  return new URL(d.cardUrl ?? d.eventsUrl).pathname;
}

function applyAnswer(emu: FeishuEmulator, m: StoredMessage, body: Json, result: ClickResult): void {
  const toast = body.toast as Json | undefined;
  if (toast && typeof toast === 'object') {
    const i18n = (toast.i18n ?? {}) as Json;
    const content = String(toast.content ?? i18n.zh_cn ?? i18n.en_us ?? '');
    const type = String(toast.type ?? 'info');
    result.toast = { type, content };
    m.toasts.push({ type, content, at: emu.now() });
  }
  const card = body.card as Json | undefined;
  if (!card || typeof card !== 'object') return;
  if (card.type !== 'raw' && card.type !== 'template') {
    result.error = CLIENT_ERRORS.card;
    return;
  }
  const data = card.data;
  if (data === null || typeof data !== 'object') {
    result.error = CLIENT_ERRORS.card;
    return;
  }
  const next = card.type === 'raw' ? (data as Json) : { type: 'template', data };
  const text = JSON.stringify(next);
  try {
    if (Buffer.byteLength(text) > CARD_LIMIT_BYTES) throw new FeishuApiError(230025, 'card too large');
    validateCard(next);
  } catch {
    result.error = CLIENT_ERRORS.card;
    return;
  }
  const current = JSON.parse(m.content) as Json;
  if (current.schema === '2.0' && card.type === 'raw' && next.schema !== '2.0') {
    result.error = { code: 200830, msg: 'a JSON 2.0 card cannot be replaced by a JSON 1.0 card' };
    return;
  }
  emu.world.updateContent(m, text, emu.now());
  result.cardUpdated = true;
}
