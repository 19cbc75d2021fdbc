/**
 * The state of one agent run, persisted as a versioned JSON document so an approval interrupts a run rather
 * than blocking it: the messages so far, the counters the budgets are checked against, the calls already made
 * (loop detection), what each tool showed (partial answers and citations), the runbooks proposed, and the
 * calls waiting for a decision. A stored state that does not parse is reported, never guessed at.
 */
import { z } from 'zod';
import { ChatMessageSchema } from '../ports/llm.js';

export const EvidenceItemSchema = z.object({
  callId: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  outcome: z.enum(['ok', 'no_data', 'error', 'approval_required', 'denied', 'delegated']),
  /** The first lines of what the tool said, redacted. */
  excerpt: z.string(),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const ProposalSchema = z.object({
  runbookId: z.string(),
  params: z.record(z.string(), z.string()),
  reason: z.string(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

export const PendingCallSchema = z.object({
  callId: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  approvalId: z.string(),
  runbookId: z.string(),
  runbookRunId: z.string().optional(),
});
export type PendingCall = z.infer<typeof PendingCallSchema>;

export const DecisionSchema = z.object({
  decision: z.enum(['approved', 'rejected', 'expired']),
  by: z.string().optional(),
  reason: z.string().optional(),
});

export const RunStateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  kind: z.enum(['investigation', 'conversation']),
  profile: z.string(),
  chatId: z.string(),
  /** The thread the run answers in ('' for the chat itself). */
  threadKey: z.string(),
  /** The message the answer replies to. */
  replyTo: z.string().optional(),
  incidentId: z.number().int().optional(),
  requestedBy: z.string(),
  status: z.enum(['running', 'interrupted', 'done']),
  messages: z.array(ChatMessageSchema),
  counters: z.object({
    steps: z.number().int(),
    toolCalls: z.number().int(),
    tokens: z.number().int(),
    /** Wall time spent in earlier segments (before an interruption); the deadline counts active time only. */
    elapsedMs: z.number(),
    segmentStartedAt: z.number(),
  }),
  /** Call signature (tool + canonical arguments) → times seen. */
  calls: z.record(z.string(), z.number().int()),
  evidence: z.array(EvidenceItemSchema),
  proposals: z.array(ProposalSchema),
  pending: z.array(PendingCallSchema),
  decided: z.record(z.string(), DecisionSchema),
  /** The progress lines shown so far, e.g. "reading logs of checkout-7d9f…" (the last few). */
  progress: z.array(z.string()).default([]),
  /** What the card shows beside the answer, kept so a resumed run renders the same card. */
  card: z
    .object({
      findings: z.array(z.object({ id: z.string(), title: z.string() })),
      similar: z.array(z.string()),
      incidentTitle: z.string().optional(),
    })
    .default({ findings: [], similar: [] }),
});
export type RunState = z.infer<typeof RunStateSchema>;

export interface NewRun {
  runId: string;
  kind: RunState['kind'];
  profile: string;
  chatId: string;
  threadKey: string;
  replyTo?: string;
  incidentId?: number;
  requestedBy: string;
  messages: RunState['messages'];
  now: number;
}

export function newRunState(r: NewRun): RunState {
  return {
    version: 1,
    runId: r.runId,
    kind: r.kind,
    profile: r.profile,
    chatId: r.chatId,
    threadKey: r.threadKey,
    ...(r.replyTo ? { replyTo: r.replyTo } : {}),
    ...(r.incidentId !== undefined ? { incidentId: r.incidentId } : {}),
    requestedBy: r.requestedBy,
    status: 'running',
    messages: r.messages,
    counters: { steps: 0, toolCalls: 0, tokens: 0, elapsedMs: 0, segmentStartedAt: r.now },
    calls: {},
    evidence: [],
    proposals: [],
    pending: [],
    decided: {},
    progress: [],
    card: { findings: [], similar: [] },
  };
}

export function parseRunState(json: unknown): { ok: true; state: RunState } | { ok: false; problem: string } {
  const r = RunStateSchema.safeParse(json);
  if (r.success) return { ok: true, state: r.data };
  const i = r.error.issues[0];
  return { ok: false, problem: `${i?.path.join('.') || '(top)'}: ${i?.message ?? 'invalid'}` };
}

/** Active wall time of the run so far. */
export function elapsed(state: RunState, now: number): number {
  return state.counters.elapsedMs + Math.max(0, now - state.counters.segmentStartedAt);
}
