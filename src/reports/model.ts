/**
 * The report side of the domain model, zod first: the accuracy vote people cast on an incident report, and the
 * digests the scheduler posts. Nothing here has state.
 */
import { z } from 'zod';

/** Was the diagnosis right? One answer per person and incident; a later click changes it. */
export const VERDICTS = ['right', 'partly', 'wrong'] as const;
export const VerdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof VerdictSchema>;

export const ReportVoteSchema = z.object({
  incidentId: z.number().int(),
  voter: z.string(),
  verdict: VerdictSchema,
  votedAt: z.number(),
  updatedAt: z.number(),
});
export type ReportVote = z.infer<typeof ReportVoteSchema>;

/** The scheduled digests. */
export const DIGESTS = ['daily', 'weekly'] as const;
export const DigestKindSchema = z.enum(DIGESTS);
export type DigestKind = z.infer<typeof DigestKindSchema>;

/** A digest's persisted schedule: when it is next due and what the last one stood for. */
export const ReportRunSchema = z.object({
  kind: DigestKindSchema,
  schedule: z.string(),
  dueAt: z.number(),
  lastFireAt: z.number().nullable(),
  lastRunAt: z.number().nullable(),
});
export type ReportRun = z.infer<typeof ReportRunSchema>;
