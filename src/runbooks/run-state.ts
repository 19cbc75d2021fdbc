/**
 * The persisted state of one runbook run, the events that move it and the effects it asks for — zod schemas,
 * the types inferred from them. `RunState` is versioned: it is stored as a JSON blob beside the run row and
 * parsed back through `parseRunState`, which says plainly when a blob is from another version or damaged.
 * The reducer over these lives in machine.ts.
 */
import { z } from 'zod';

export const PHASES = [
  'awaiting_approval',
  'running',
  'verifying',
  'rolling_back',
  'succeeded',
  'failed',
  'rolled_back',
  'rejected',
  'expired',
  'interrupted',
] as const;
export const PhaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof PhaseSchema>;

export const TERMINAL_PHASES = ['succeeded', 'failed', 'rolled_back', 'rejected', 'expired', 'interrupted'] as const;
export const TerminalPhaseSchema = z.enum(TERMINAL_PHASES);
export type TerminalPhase = z.infer<typeof TerminalPhaseSchema>;
export function isTerminal(phase: Phase): phase is TerminalPhase {
  return (TERMINAL_PHASES as readonly Phase[]).includes(phase);
}

/** Which list of the runbook a step belongs to. */
export const SectionSchema = z.enum(['steps', 'rollback']);
export type Section = z.infer<typeof SectionSchema>;

const at = z.number().int().nonnegative();
const index = z.number().int().nonnegative();

export const StepOutcomeSchema = z.discriminatedUnion('result', [
  z.strictObject({ result: z.literal('ok'), summary: z.string().optional() }),
  z.strictObject({ result: z.literal('failed'), message: z.string().min(1) }),
]);
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;

/** The step the run asked for; `startedAt` is set once it was recorded as started (before it runs). */
export const CursorSchema = z.strictObject({
  section: SectionSchema,
  index,
  stepId: z.string(),
  startedAt: at.optional(),
});
export type Cursor = z.infer<typeof CursorSchema>;

export const StepRecordSchema = z.strictObject({
  section: SectionSchema,
  index,
  stepId: z.string(),
  startedAt: at,
  finishedAt: at,
  outcome: StepOutcomeSchema,
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const RUN_STATE_VERSION = 1;

export const RunStateSchema = z.strictObject({
  version: z.literal(RUN_STATE_VERSION),
  runbookId: z.string(),
  phase: PhaseSchema,
  cursor: CursorSchema.nullable(),
  /** Every step that finished, in order, with its outcome. */
  history: z.array(StepRecordSchema),
  approvedBy: z.array(z.string()),
  approvedAt: at.nullable(),
  rejected: z.strictObject({ by: z.string(), reason: z.string().optional(), at }).nullable(),
  verification: z
    .strictObject({ result: z.enum(['passed', 'failed', 'cannot_verify']), detail: z.string().optional(), at })
    .nullable(),
  /** Why the run ended without success: the failed step, the interrupted step, or the verification. */
  failure: z
    .strictObject({ section: SectionSchema.optional(), stepId: z.string().optional(), message: z.string() })
    .nullable(),
  createdAt: at,
  updatedAt: at,
  endedAt: at.nullable(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export const RunEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('approved'), by: z.array(z.string().min(1)).min(1), at }),
  z.strictObject({ type: z.literal('rejected'), by: z.string().min(1), reason: z.string().optional(), at }),
  z.strictObject({ type: z.literal('expired'), at }),
  z.strictObject({ type: z.literal('step_started'), section: SectionSchema, index, at }),
  z.strictObject({ type: z.literal('step_done'), section: SectionSchema, index, outcome: StepOutcomeSchema, at }),
  z.strictObject({ type: z.literal('verification_passed'), detail: z.string().optional(), at }),
  z.strictObject({ type: z.literal('verification_failed'), detail: z.string().min(1), at }),
  z.strictObject({ type: z.literal('cannot_verify'), reason: z.string().min(1), at }),
  z.strictObject({
    type: z.literal('resumed_after_restart'),
    at,
    /**
     * The engine's word that the step in hand, though recorded as started, is safe to run again: a read-only
     * tool, or a write whose bound approval was never spent (so the call never reached the cluster).
     */
    repeatable: z.boolean().optional(),
  }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];

/** What the thread is told about. */
export const NOTICE_KINDS = [
  'rejected',
  'expired',
  'step_failed',
  'verification_failed',
  'cannot_verify',
  'succeeded',
  'rolled_back',
  'rollback_failed',
  'interrupted',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const EffectSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('run_step'), index, stepId: z.string() }),
  z.strictObject({ type: z.literal('run_rollback_step'), index, stepId: z.string() }),
  z.strictObject({ type: z.literal('start_verification') }),
  z.strictObject({
    type: z.literal('notify'),
    kind: z.enum(NOTICE_KINDS),
    stepId: z.string().optional(),
    detail: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('finish'), phase: TerminalPhaseSchema }),
]);
export type Effect = z.infer<typeof EffectSchema>;

/** A new run, waiting for its approval. */
export function initialRunState(runbookId: string, now: number): RunState {
  return {
    version: RUN_STATE_VERSION,
    runbookId,
    phase: 'awaiting_approval',
    cursor: null,
    history: [],
    approvedBy: [],
    approvedAt: null,
    rejected: null,
    verification: null,
    failure: null,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
}

export type ParsedRunState = { ok: true; state: RunState } | { ok: false; problem: string };

/** A stored blob back into a RunState, or why it cannot be. */
export function parseRunState(blob: unknown): ParsedRunState {
  const v = (blob as { version?: unknown } | null)?.version;
  if (v !== RUN_STATE_VERSION) {
    return { ok: false, problem: `run state version ${String(v)} is not ${RUN_STATE_VERSION}` };
  }
  const r = RunStateSchema.safeParse(blob);
  if (r.success) return { ok: true, state: r.data };
  const first = r.error.issues[0];
  return { ok: false, problem: `run state is damaged at ${first?.path.join('.') || '(top)'}: ${first?.message}` };
}
