/**
 * What a card button carries back when clicked: the callback `value` of every button is one of these, checked
 * with zod on the way in. Add a variant here, then register a handler for it on the router
 * (`router.onCardAction('<action>', handler)`).
 *
 * Values are parsed strictly, because anyone can send a forged callback: `incidentId` is a positive integer (a
 * JSON number, or a string of digits only — not `[2]`, `" 2 "`, `"0x9"`, `"1e3"`), ids are short and plain, and a
 * value deeper or larger than any button of ours (`CARD_VALUE_LIMITS`) is refused before zod walks it.
 * `previewCardValue` gives a bounded rendering of any value for logs.
 */
import { z } from 'zod';
import { VerdictSchema } from '../reports/model.js';

/** Bounds no genuine button value comes near (the largest is a runbook's params). */
export const CARD_VALUE_LIMITS = { depth: 4, nodes: 200, chars: 16_384 } as const;

const MAX_SAFE_DIGITS = /^[0-9]{1,15}$/;

const incidentId = z
  .union([z.number(), z.string().regex(MAX_SAFE_DIGITS, 'must be digits only').transform(Number)])
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be a plain id of at most 128 characters');

const params = z
  .record(z.string().min(1).max(64), z.string().max(1024))
  .refine((p) => Object.keys(p).length <= 32, 'at most 32 params');

export const CardActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ack'), incidentId }),
  z.object({ action: z.literal('resolve'), incidentId, note: z.string().max(2000).optional() }),
  z.object({ action: z.literal('silence'), incidentId, duration: z.string().min(1).max(32) }),
  z.object({ action: z.literal('investigate'), incidentId }),
  z.object({ action: z.literal('run_runbook'), runbookId: id, params, incidentId: incidentId.optional() }),
  z.object({ action: z.literal('approve'), approvalId: id }),
  z.object({ action: z.literal('reject'), approvalId: id }),
  z.object({ action: z.literal('rollback'), runId: id }),
  z.object({ action: z.literal('vote'), incidentId, verdict: VerdictSchema }),
]);

export type CardAction = z.infer<typeof CardActionSchema>;
export type CardActionName = CardAction['action'];
/** The action of one name, e.g. `CardActionOf<'silence'>` has `duration`. */
export type CardActionOf<N extends CardActionName> = Extract<CardAction, { action: N }>;

export const CARD_ACTION_NAMES = CardActionSchema.options.map((o) => o.shape.action.value) as CardActionName[];

/** Parses a clicked button's value; `undefined` when it is not one of ours (old card, foreign or forged button). */
export function parseCardAction(value: unknown): CardAction | undefined {
  if (!withinLimits(value)) return undefined;
  const r = CardActionSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** Whether a value is no deeper, no wider and no longer than `CARD_VALUE_LIMITS` (walked without recursion). */
export function withinLimits(value: unknown): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let nodes = 0;
  let chars = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    if (++nodes > CARD_VALUE_LIMITS.nodes || depth > CARD_VALUE_LIMITS.depth) return false;
    if (typeof v === 'string') chars += v.length;
    else if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v : Object.entries(v);
      if (entries.length > CARD_VALUE_LIMITS.nodes) return false;
      for (const e of entries) {
        if (Array.isArray(v)) stack.push({ v: e, depth: depth + 1 });
        else {
          const [k, child] = e as [string, unknown];
          chars += k.length;
          stack.push({ v: child, depth: depth + 1 });
        }
      }
    }
    if (chars > CARD_VALUE_LIMITS.chars) return false;
  }
  return true;
}

/** A rendering of any value for a log line: at most `max` characters and three levels deep. */
export function previewCardValue(value: unknown, max = 300): string {
  let out = '';
  const write = (s: string) => {
    out += s;
    return out.length < max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return write(String(v));
    if (typeof v === 'string') return write(JSON.stringify(v.length > max ? `${v.slice(0, max)}…` : v));
    if (typeof v !== 'object') return write(typeof v);
    if (depth >= 3) return write(Array.isArray(v) ? '[…]' : '{…}');
    const isArray = Array.isArray(v);
    if (!write(isArray ? '[' : '{')) return false;
    let first = true;
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (!first && !write(',')) return false;
      first = false;
      if (!isArray && !write(`${JSON.stringify(k.slice(0, 64))}:`)) return false;
      if (!walk((v as Record<string, unknown>)[k], depth + 1)) return false;
    }
    return write(isArray ? ']' : '}');
  };
  walk(value, 0);
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
