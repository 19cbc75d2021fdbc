/**
 * What a run was approved to do, fixed when it is requested: the runbook, its resolved parameters, the cluster
 * and target, where it reports (chat, incident), who asked and why, how many approvers it needs, and every tool
 * call of its steps and rollback with the exact arguments, the approval bound to each write and the server-side
 * dry run the approval card shows. Stored beside the run's state (`RunData`), versioned, zod first; the engine
 * executes the plan's calls and nothing else, so a change of parameters is a new run and a new approval.
 */
import { z } from 'zod';
import { SafetyClassSchema } from '../ports/tools.js';
import { RunStateSchema, SectionSchema } from './run-state.js';
import { ResourceKindSchema, RiskSchema } from './schema.js';

export const PLAN_VERSION = 1;

export const ChangeSchema = z.strictObject({ path: z.string(), from: z.unknown(), to: z.unknown() });
export type Change = z.infer<typeof ChangeSchema>;

/** The server-side dry run of one write: the fields that change and what it affects. */
export const PreviewSchema = z.strictObject({
  ok: z.boolean(),
  /** The tool's own rendering of the change (or why the dry run failed). */
  text: z.string(),
  changes: z.array(ChangeSchema),
  /** Pods that will restart or go away. */
  pods: z.array(z.string()),
  replicas: z.strictObject({ before: z.number(), after: z.number() }).nullable(),
});
export type Preview = z.infer<typeof PreviewSchema>;

export const PlannedCallSchema = z.strictObject({
  section: SectionSchema,
  index: z.number().int().nonnegative(),
  stepId: z.string(),
  /** Qualified tool name, e.g. k8s.deployment_rollback. */
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  safetyClass: SafetyClassSchema,
  /** The approval bound to exactly this call (writes); null for reads. */
  approvalId: z.string().nullable(),
  preview: PreviewSchema.nullable(),
});
export type PlannedCall = z.infer<typeof PlannedCallSchema>;

export const RunSourceSchema = z.enum(['button', 'command', 'agent', 'auto', 'console']);

export const RunPlanSchema = z.strictObject({
  version: z.literal(PLAN_VERSION),
  runbookId: z.string(),
  risk: RiskSchema,
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  cluster: z.string().nullable(),
  target: z.strictObject({ kind: ResourceKindSchema, name: z.string(), namespace: z.string().optional() }),
  targetKey: z.string(),
  incidentId: z.number().int().nullable(),
  chatId: z.string(),
  source: RunSourceSchema,
  reason: z.string().nullable(),
  requester: z.string(),
  /** The approval people decide (null for an automatic run). */
  decisionId: z.string().nullable(),
  approversNeeded: z.number().int().nonnegative(),
  expiresAt: z.number().nullable(),
  calls: z.array(PlannedCallSchema),
});
export type RunPlan = z.infer<typeof RunPlanSchema>;

export const RunDataSchema = z.strictObject({ plan: RunPlanSchema, state: RunStateSchema });
export type RunData = z.infer<typeof RunDataSchema>;

export function targetKeyOf(cluster: string | null, t: RunPlan['target']): string {
  return [cluster ?? '', t.kind, t.namespace ?? '', t.name].join('/');
}

export function plannedCall(plan: RunPlan, section: 'steps' | 'rollback', index: number): PlannedCall | undefined {
  return plan.calls.find((c) => c.section === section && c.index === index);
}

/** An approval id for one write step of a run's decision. */
export function stepApprovalId(decisionId: string, section: 'steps' | 'rollback', index: number): string {
  return `${decisionId}.${section === 'steps' ? 's' : 'r'}${index}`;
}
