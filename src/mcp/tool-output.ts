/**
 * What a built-in tool may hand back, enforced inside the tool server itself (in the bot and standalone alike):
 * credentials masked in both the text and the structured content, and both capped, with the cap and the
 * truncation stated in the result so a model knows there is more.
 */
import { redactText, redactValue, redactValueCollecting, scrubText } from '../shared/redact.js';
import type { ToolOutcome } from './tool.js';

export const TRUNCATED_MARKER = '[truncated:';

export interface OutputCaps {
  /** Longest text rendering, in characters. */
  maxTextChars: number;
  /** Longest structured content, in characters of JSON. */
  maxDataChars: number;
}

export const DEFAULT_OUTPUT_CAPS: OutputCaps = { maxTextChars: 50_000, maxDataChars: 50_000 };

export function redactOutcome(o: ToolOutcome): ToolOutcome {
  switch (o.status) {
    case 'ok': {
      // Data first: every value masked in the data is also scrubbed from the text rendering of it.
      const r = redactValueCollecting(o.data);
      return { ...o, data: r.value, text: scrubText(o.text, r.masked) };
    }
    case 'no_data':
      return { status: 'no_data', searched: redactText(o.searched) };
    case 'error':
      return {
        ...o,
        message: redactText(o.message),
        ...(o.upstream ? { upstream: redactValue(o.upstream) } : {}),
      };
    default: {
      const never: never = o;
      return never;
    }
  }
}

export function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  return {
    text: `${text.slice(0, max)}\n${TRUNCATED_MARKER} ${max} of ${text.length} characters shown]`,
    truncated: true,
  };
}

/** Caps an ok outcome's text and data; larger structured content is replaced by a note saying so. */
export function capOutcome(o: ToolOutcome, caps: OutputCaps): ToolOutcome {
  if (o.status !== 'ok') return o;
  const text = capText(o.text, caps.maxTextChars);
  const size = (JSON.stringify(o.data) ?? '').length;
  if (size <= caps.maxDataChars) {
    return text.truncated ? { ...o, text: text.text, truncated: true } : o;
  }
  return {
    status: 'ok',
    text: text.text,
    truncated: true,
    data: {
      truncated: true,
      note: `${size} characters of structured data omitted (cap ${caps.maxDataChars}); the text shows ${text.truncated ? 'a part' : 'all of it'}`,
    },
  };
}
