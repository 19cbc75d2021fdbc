/**
 * What a card button carries back when clicked: the callback `value` of every button is one of these, checked
 * with zod on the way in. Add a variant here, then register a handler for it on the router
 * (`router.onCardAction('<action>', handler)`).
 */
import { z } from 'zod';

const incidentId = z.coerce.number().int().positive();

export const CardActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ack'), incidentId }),
  z.object({ action: z.literal('resolve'), incidentId, note: z.string().max(2000).optional() }),
  z.object({ action: z.literal('silence'), incidentId, duration: z.string().min(1).max(32) }),
  z.object({ action: z.literal('investigate'), incidentId }),
  z.object({
    action: z.literal('run_runbook'),
    runbookId: z.string().min(1),
    params: z.record(z.string(), z.string()),
    incidentId: incidentId.optional(),
  }),
  z.object({ action: z.literal('approve'), approvalId: z.string().min(1) }),
  z.object({ action: z.literal('reject'), approvalId: z.string().min(1) }),
  z.object({ action: z.literal('rollback'), runId: z.string().min(1) }),
]);

export type CardAction = z.infer<typeof CardActionSchema>;
export type CardActionName = CardAction['action'];
/** The action of one name, e.g. `CardActionOf<'silence'>` has `duration`. */
export type CardActionOf<N extends CardActionName> = Extract<CardAction, { action: N }>;

export const CARD_ACTION_NAMES = CardActionSchema.options.map((o) => o.shape.action.value) as CardActionName[];

/** Parses a clicked button's value; `undefined` when it is not one of ours (old card, foreign button). */
export function parseCardAction(value: unknown): CardAction | undefined {
  const r = CardActionSchema.safeParse(value);
  return r.success ? r.data : undefined;
}
