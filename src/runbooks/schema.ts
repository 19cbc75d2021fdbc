/**
 * The one schema of a runbook (`runbooks/*.yaml`): what it is for (titles and descriptions in zh-CN and en-US,
 * category, risk, which alerts and diagnosis patterns it answers), its typed parameters, the checks that must
 * hold before it runs, its steps (a discriminated union on `type`), how recovery is verified, how it is undone,
 * what a failed step does, and the cooldown per target. Strings reference parameters as `{{ params.<name> }}`
 * (template.ts). Cross-field rules — unique step ids, declared parameters only, kinds that fit a condition —
 * live in checks.ts and run as the schema's refinement, so a runbook that parses is one the engine can run.
 * `runbookJsonSchema()` is the same schema as JSON Schema, for editors (`sre-nanobot validate --schema`).
 */
import { z } from 'zod';
import { parseDuration } from '../shared/duration.js';
import { checkRunbook } from './checks.js';
import { CONDITION_KINDS, RESOURCE_KINDS, type ResourceCondition } from './resources.js';

export const LocalizedTextSchema = z.strictObject({
  'zh-CN': z.string().min(1),
  'en-US': z.string().min(1),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const RiskSchema = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof RiskSchema>;

export const CATEGORIES = ['fault_handling', 'resource_management', 'network', 'storage', 'database'] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const OnFailureSchema = z.enum(['abort', 'continue', 'rollback']);
export type OnFailure = z.infer<typeof OnFailureSchema>;

export const DurationSchema = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 30s, 5m or 1h30m');

/** A string that may hold `{{ params.<name> }}` references (checked against the declared params). */
const Templated = z.string().min(1);

// ── parameters ────────────────────────────────────────────────────────────────────────────────────────────

const LabelNameSchema = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a label name such as namespace');

const paramCommon = {
  description: LocalizedTextSchema,
  /** May be left unset (no default): a whole-string reference to it then drops the key it fills. */
  optional: z.boolean().default(false),
  /** Filled from this alert label when the runbook is proposed for an alert. */
  from_label: LabelNameSchema.optional(),
};

/** Kubernetes-shaped strings: object names, DNS labels (namespaces, containers), resource quantities. */
export const STRING_FORMATS = ['name', 'label', 'quantity'] as const;

export const StringParamSchema = z.strictObject({
  type: z.literal('string'),
  ...paramCommon,
  format: z.enum(STRING_FORMATS).optional(),
  /** A regular expression the whole value must match. */
  pattern: z.string().min(1).optional(),
  enum: z.array(z.string().min(1)).min(1).optional(),
  max_length: z.number().int().min(1).max(1000).default(253),
  default: z.string().optional(),
  example: z.string().optional(),
});
export const IntegerParamSchema = z.strictObject({
  type: z.literal('integer'),
  ...paramCommon,
  minimum: z.number().int().optional(),
  maximum: z.number().int().optional(),
  default: z.number().int().optional(),
  example: z.number().int().optional(),
});
export const NumberParamSchema = z.strictObject({
  type: z.literal('number'),
  ...paramCommon,
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  default: z.number().optional(),
  example: z.number().optional(),
});
export const BooleanParamSchema = z.strictObject({
  type: z.literal('boolean'),
  ...paramCommon,
  default: z.boolean().optional(),
  example: z.boolean().optional(),
});
export const ParamSchema = z.discriminatedUnion('type', [
  StringParamSchema,
  IntegerParamSchema,
  NumberParamSchema,
  BooleanParamSchema,
]);
export type Param = z.infer<typeof ParamSchema>;

// ── resources and conditions ──────────────────────────────────────────────────────────────────────────────

export const ResourceKindSchema = z.enum(RESOURCE_KINDS);

/** An object in the run's cluster; name and namespace may reference parameters. */
export const RunbookResourceRefSchema = z.strictObject({
  kind: ResourceKindSchema,
  name: Templated,
  namespace: Templated.optional(),
});
export type RunbookResourceRef = z.infer<typeof RunbookResourceRefSchema>;

export const ResourceConditionSchema = z.enum(
  Object.keys(CONDITION_KINDS) as [ResourceCondition, ...ResourceCondition[]],
);

// ── steps ─────────────────────────────────────────────────────────────────────────────────────────────────

export const StepIdSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a step id such as restart');
const stepCommon = { id: StepIdSchema, title: LocalizedTextSchema.optional() };

/** A call through the ToolHost; `args` after parameter substitution must satisfy the tool's input schema. */
export const ToolStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal('tool'),
  tool: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a tool name such as workload_restart'),
  args: z.record(z.string(), z.unknown()).default({}),
});
export const WaitStepSchema = z.strictObject({ ...stepCommon, type: z.literal('wait'), for: DurationSchema });
export const CheckPromqlStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal('check_promql'),
  query: Templated,
  /** Every series of the result must satisfy `<value> <op> <expect.value>`. */
  expect: z.strictObject({
    op: z.enum(['<', '<=', '>', '>=', '==', '!=']),
    value: z.union([z.number(), Templated]),
  }),
  /** An empty result: a pass (the bad series is gone), a failure, or "cannot verify" (the default). */
  on_no_data: z.enum(['pass', 'fail', 'cannot_verify']).default('cannot_verify'),
  timeout: DurationSchema.optional(),
});
export const CheckResourceStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal('check_resource'),
  ref: RunbookResourceRefSchema,
  condition: ResourceConditionSchema,
  /** How long the condition must hold (restarts_stopped: no restart for this long). */
  stable_for: DurationSchema.optional(),
  timeout: DurationSchema.optional(),
});
export const NotifyStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal('notify'),
  message: LocalizedTextSchema,
});

export const StepSchema = z.discriminatedUnion('type', [
  ToolStepSchema,
  WaitStepSchema,
  CheckPromqlStepSchema,
  CheckResourceStepSchema,
  NotifyStepSchema,
]);
export type Step = z.infer<typeof StepSchema>;
export type StepType = Step['type'];
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;

export const CheckSchema = z.discriminatedUnion('type', [CheckPromqlStepSchema, CheckResourceStepSchema]);
export type Check = z.infer<typeof CheckSchema>;
/** Preconditions: checks, or read-only tool calls that must answer ok. */
export const PreconditionSchema = z.discriminatedUnion('type', [
  CheckPromqlStepSchema,
  CheckResourceStepSchema,
  ToolStepSchema,
]);
export type Precondition = z.infer<typeof PreconditionSchema>;

export const VerificationSchema = z.strictObject({
  /** The whole verification gives up after this long (and reports "cannot verify" or a failure). */
  timeout: DurationSchema,
  checks: z.array(CheckSchema).min(1),
});
export type Verification = z.infer<typeof VerificationSchema>;

// ── the runbook ───────────────────────────────────────────────────────────────────────────────────────────

export const MatchSchema = z.strictObject({
  alertnames: z.array(z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]*$/, 'must be an alertname')).default([]),
  /** Alertmanager-style matchers on the alert's labels (`namespace=~"shop|pay"`), all of which must hold. */
  labels: z.array(z.string().min(1)).default([]),
  /** Diagnosis finding patterns, such as pod.oom_killed. */
  patterns: z
    .array(z.string().regex(/^[a-z]+(\.[a-z0-9_]+)+$/, 'must be a pattern id such as pod.crash_loop'))
    .default([]),
});
export type RunbookMatch = z.infer<typeof MatchSchema>;

export const RunbookObjectSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a runbook id such as pod-restart'),
  title: LocalizedTextSchema,
  description: LocalizedTextSchema,
  category: CategorySchema,
  risk: RiskSchema,
  /** The object a run acts on: one concurrent run and one cooldown per target. */
  target: RunbookResourceRefSchema,
  match: MatchSchema.default({ alertnames: [], labels: [], patterns: [] }),
  params: z.record(z.string(), ParamSchema).default({}),
  preconditions: z.array(PreconditionSchema).default([]),
  steps: z.array(StepSchema).min(1),
  verification: VerificationSchema,
  rollback: z.array(StepSchema).default([]),
  on_failure: OnFailureSchema.default('abort'),
  cooldown: DurationSchema.default('10m'),
});
export type RunbookBody = z.infer<typeof RunbookObjectSchema>;

export const RunbookSchema = RunbookObjectSchema.superRefine(checkRunbook);
export type Runbook = z.infer<typeof RunbookSchema>;

/** The runbook file format as JSON Schema (draft 2020-12), the input side: defaults make fields optional. */
export function runbookJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RunbookObjectSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'sre-nanobot runbook',
    description: 'One runbook per file in runbooks/*.yaml; see runbooks/README.md.',
  };
}
