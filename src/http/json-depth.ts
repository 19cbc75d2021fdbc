/**
 * How deep a JSON text nests, measured on the text before it is parsed (one linear pass, strings skipped): a
 * body nested thousands deep would make every later `JSON.stringify` or recursive walk overflow the stack.
 * `checkJsonDepth` throws a `malformed_json` error (HTTP 400) naming the limit.
 */
import { CodedError } from '../shared/errors.js';

/** The deepest nesting a request body may have; Feishu's and Alertmanager's payloads stay well under 16. */
export const MAX_JSON_DEPTH = 64;

/** The first offset at which nesting exceeds `max`, or -1. */
export function jsonDepthExceeded(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

export function checkJsonDepth(text: string, what: string, max = MAX_JSON_DEPTH): void {
  const at = jsonDepthExceeded(text, max);
  if (at >= 0) {
    throw new CodedError(
      'malformed_json',
      `${what} nests deeper than ${max} levels (at offset ${at}); no card, event or alert needs that`,
      { detail: { offset: at, maxDepth: max } },
    );
  }
}
