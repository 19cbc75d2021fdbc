/**
 * Loop detection: a call is the tool plus its canonical arguments (keys sorted). The second identical call is
 * not executed — the model is told it already has that result; a third ends the run (budget `loop`).
 */
import type { RunState } from '../run-state.js';

export function callSignature(tool: string, args: unknown): string {
  return `${tool} ${canonical(args)}`;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export type LoopVerdict = 'first' | 'repeat' | 'stop';

/** Records the call and says whether it is new, a repeat (refuse and tell), or the repeat that ends the run. */
export function recordCall(state: RunState, signature: string): LoopVerdict {
  const seen = state.calls[signature] ?? 0;
  state.calls[signature] = seen + 1;
  if (seen === 0) return 'first';
  return seen === 1 ? 'repeat' : 'stop';
}

export const REPEAT_NOTE =
  'You already made exactly this call with the same arguments; its result is above. Do not repeat it: use ' +
  'what you have, change the arguments, or answer. Repeating it again ends the investigation.';
