import { E } from './errors.js';
import type { MsgType } from './types.js';

const KB = 1024;
export const CARD_LIMIT_BYTES = 30 * KB;
export const TEXT_LIMIT_BYTES = 150 * KB;
const MAX_CARD_ELEMENTS = 200;

type Json = Record<string, unknown>;

export function isMsgType(v: unknown): v is MsgType {
  return v === 'text' || v === 'post' || v === 'interactive';
}

/**
 * Validates message `content` like Feishu: a JSON string that parses to an object of the right shape, within
 * the size limit (text 150 KB, post and card 30 KB → 230025); a card that does not parse or break JSON 2.0
 * rules → 230099 with the sub-code in `msg`.
 */
export function validateContent(msgType: MsgType, content: unknown): Json {
  if (typeof content !== 'string') throw E.badParam('content must be a JSON string');
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > (msgType === 'text' ? TEXT_LIMIT_BYTES : CARD_LIMIT_BYTES)) throw E.tooLong();
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    if (msgType === 'interactive') throw E.badCard(200621, 'card json parse error');
    throw E.invalidParam('content is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    if (msgType === 'interactive') throw E.badCard(200621, 'card content must be a JSON object');
    throw E.invalidParam('content must be a JSON object');
  }
  const obj = parsed as Json;
  switch (msgType) {
    case 'text':
      if (typeof obj.text !== 'string') throw E.invalidParam('text content needs a "text" string');
      break;
    case 'post':
      if (!isPost(obj)) throw E.invalidParam('post content needs a locale with a "content" array');
      break;
    case 'interactive':
      validateCard(obj);
      break;
    default: {
      const never: never = msgType;
      throw E.invalidParam(`msg_type ${String(never)}`);
    }
  }
  return obj;
}

function isPost(obj: Json): boolean {
  if (Array.isArray(obj.content)) return true;
  return Object.values(obj).some((v) => v !== null && typeof v === 'object' && Array.isArray((v as Json).content));
}

/** Card rules that make Feishu refuse a card (230099 sub-codes). */
export function validateCard(card: Json): void {
  if (card.type === 'template') return;
  if (card.schema === '2.0') {
    const body = card.body as Json | undefined;
    const elements = body?.elements;
    if (body !== undefined && !Array.isArray(elements)) throw E.badCard(200621, 'body.elements must be an array');
    const all = collectElements(Array.isArray(elements) ? elements : []);
    if (all.length > MAX_CARD_ELEMENTS) throw E.badCard(11310, 'element exceeds the limit');
    if (all.some((el) => el.tag === 'action')) throw E.badCard(200861, 'tag action is not supported in schema 2.0');
    return;
  }
  const elements = card.elements ?? card.i18n_elements;
  if (elements === undefined && card.header === undefined)
    throw E.badCard(200621, 'card has neither header nor elements');
}

function collectElements(list: unknown[]): Json[] {
  const out: Json[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const el = item as Json;
    out.push(el);
    for (const key of ['elements', 'columns', 'actions']) {
      const nested = el[key];
      if (Array.isArray(nested)) out.push(...collectElements(nested));
    }
  }
  return out;
}

/** A card can be updated in place only when it declares `config.update_multi: true` (a shared card). */
export function isSharedCard(card: Json): boolean {
  const config = card.config as Json | undefined;
  return config?.update_multi === true;
}
