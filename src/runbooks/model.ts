/** A runbook run as stored: the persisted state of one runbook's state machine, resumed after a restart. */
import { z } from 'zod';

export const RunbookRunSchema = z.object({
  id: z.string(),
  runbookId: z.string(),
  incidentId: z.number().int().nullable(),
  params: z.record(z.string(), z.unknown()),
  state: z.string(),
  stepIndex: z.number().int(),
  /** The engine's versioned state. */
  data: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  approvedBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  version: z.number().int(),
  /** What the run acts on, `cluster/kind/namespace/name`: one active run and one cooldown per target. */
  target: z.string().nullable(),
  /** When the run reached a terminal phase. */
  endedAt: z.number().nullable(),
});
export type RunbookRun = z.infer<typeof RunbookRunSchema>;
export type NewRunbookRun = Pick<RunbookRun, 'id' | 'runbookId' | 'incidentId' | 'params' | 'state' | 'requestedBy'> &
  Partial<Pick<RunbookRun, 'target' | 'data'>>;
export type RunbookRunPatch = Partial<Pick<RunbookRun, 'state' | 'stepIndex' | 'data' | 'approvedBy' | 'endedAt'>>;
