/**
 * The incident side of the domain model, zod first: an incident, its status, and its timeline — a
 * discriminated union on `kind` with a typed `detail` per kind, so reports and the console read it without
 * guessing. The store parses its rows through these schemas; nothing else spells these types.
 */
import { z } from 'zod';
import { PrioritySchema } from '../alerts/model.js';
import { ResourceRefSchema } from '../shared/resource-ref.js';

export const IncidentStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

export const IncidentSchema = z.object({
  id: z.number().int(),
  /** The labels the incident was grouped by (see alerts/grouping.ts). */
  groupKey: z.string(),
  title: z.string(),
  priority: PrioritySchema,
  status: IncidentStatusSchema,
  /** Where its card goes; null: recorded, not posted. */
  chatId: z.string().nullable(),
  namespace: z.string().nullable(),
  cluster: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  /** The Kubernetes objects its alerts concern. */
  resources: z.array(ResourceRefSchema),
  /** cluster/namespace/workload, so related alerts on one workload join it. */
  correlationKey: z.string().nullable(),
  /** The alert storm whose card summarises it instead of a card of its own. */
  stormId: z.number().int().nullable(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  ackedAt: z.number().nullable(),
  ackedBy: z.string().nullable(),
  resolvedAt: z.number().nullable(),
  resolvedBy: z.string().nullable(),
  resolveNote: z.string().nullable(),
  version: z.number().int(),
});
export type Incident = z.infer<typeof IncidentSchema>;

export type NewIncident = Pick<
  Incident,
  'groupKey' | 'title' | 'priority' | 'chatId' | 'namespace' | 'cluster' | 'labels' | 'resources'
> & { correlationKey?: string | null | undefined };

export type IncidentPatch = Partial<
  Pick<
    Incident,
    | 'title'
    | 'priority'
    | 'status'
    | 'chatId'
    | 'labels'
    | 'resources'
    | 'stormId'
    | 'lastSeen'
    | 'ackedAt'
    | 'ackedBy'
    | 'resolvedAt'
    | 'resolvedBy'
    | 'resolveNote'
  >
>;

/** A chat's alert storm: new incidents folded into one card while the chat is over its card budget. */
export const StormSchema = z.object({
  id: z.number().int(),
  chatId: z.string(),
  startedAt: z.number(),
  lastAt: z.number(),
  endedAt: z.number().nullable(),
  /** Incidents its card summarises. */
  incidents: z.number().int(),
});
export type Storm = z.infer<typeof StormSchema>;

/** The escalation timer of an un-acknowledged incident: the next step and when it runs. */
export const EscalationSchema = z.object({
  incidentId: z.number().int(),
  step: z.number().int(),
  dueAt: z.number(),
  status: z.enum(['pending', 'done', 'stopped']),
  updatedAt: z.number(),
});
export type Escalation = z.infer<typeof EscalationSchema>;

/** Who acted: an open_id, `system`, `llm` or `runbook:<run>`. */
export const SYSTEM = 'system';

const alertRef = z.object({ alertname: z.string(), fingerprint: z.string() });
const entry = <K extends string, D extends z.ZodRawShape>(kind: K, detail: D) =>
  z.object({ kind: z.literal(kind), detail: z.object(detail) });

/** What each timeline entry says, by kind. */
export const TimelineDetailSchema = z.discriminatedUnion('kind', [
  entry('opened', {
    priority: PrioritySchema,
    alertname: z.string().optional(),
    fingerprint: z.string().optional(),
    routes: z.array(z.string()).optional(),
    heartbeat: z.string().optional(),
    lastSeen: z.number().optional(),
  }),
  entry('alerts_joined', { alerts: z.array(alertRef.extend({ status: z.enum(['firing', 'resolved']) })) }),
  entry('alerts_repeated', { alerts: z.array(alertRef) }),
  entry('alerts_resolved', { alerts: z.array(alertRef) }),
  entry('priority_raised', { from: PrioritySchema, to: PrioritySchema }),
  entry('acknowledged', { via: z.enum(['card', 'command']).optional() }),
  entry('resolved', {
    auto: z.boolean().optional(),
    manual: z.boolean().optional(),
    heartbeat: z.string().optional(),
    note: z.string().optional(),
  }),
  entry('silenced', { silenceIds: z.array(z.string()), until: z.number() }),
  entry('silence_ended', { silenceId: z.string(), state: z.enum(['expired', 'removed']) }),
  entry('escalated', { step: z.number().int(), notify: z.string() }),
  entry('diagnosed', {
    findings: z.array(z.object({ pattern: z.string(), resource: ResourceRefSchema.optional(), cause: z.string() })),
  }),
  entry('investigated', { summary: z.string(), conversationId: z.number().int().optional() }),
  entry('approval_requested', {
    approvalId: z.string(),
    runbookId: z.string().optional(),
    tool: z.string().optional(),
  }),
  entry('approved', { approvalId: z.string() }),
  entry('rejected', { approvalId: z.string(), reason: z.string().optional() }),
  entry('expired', { approvalId: z.string() }),
  entry('run_started', { runId: z.string(), runbookId: z.string() }),
  entry('step_done', { runId: z.string(), stepId: z.string(), outcome: z.enum(['ok', 'failed', 'skipped']) }),
  entry('verified', { runId: z.string() }),
  entry('verification_failed', { runId: z.string(), reason: z.string() }),
  entry('rolled_back', { runId: z.string() }),
  entry('run_ended', { runId: z.string(), runbookId: z.string(), phase: z.string(), detail: z.string().optional() }),
  entry('report_posted', { report: z.enum(['incident', 'postmortem']) }),
  entry('note', { text: z.string() }),
]);
/** A timeline entry to write: its kind and the detail that kind carries. */
export type TimelineDetail = z.infer<typeof TimelineDetailSchema>;
export type TimelineKind = TimelineDetail['kind'];

export type TimelineEntry = TimelineDetail & {
  id: number;
  incidentId: number;
  at: number;
  /** An open_id, or `system`. */
  actor: string;
};
