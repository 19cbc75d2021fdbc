/**
 * What a diagnosis says, as zod schemas (types inferred): a finding names the resource, the pattern, the cause
 * in plain language, the evidence a person trusts (each item with its source and time), how sure it is and
 * the runbooks that fix it with their parameters filled in. Identifiers a person searches for (object names,
 * images, reasons, missing objects, selectors, ports, quotas) appear verbatim in the cause and the evidence.
 */
import { z } from 'zod';
import { ResourceRefSchema } from '../shared/resource-ref.js';

export const PATTERN_IDS = [
  'pod.unschedulable',
  'pod.scheduling_gated',
  'pod.crash_loop',
  'pod.oom_killed',
  'pod.image_pull',
  'pod.missing_config_ref',
  'pod.mount_failed',
  'pod.container_error',
  'pod.init_failed',
  'pod.readiness_failed',
  'pod.liveness_failed',
  'pod.evicted',
  'pod.terminated_error',
  'deployment.progress_deadline',
  'deployment.unavailable',
  'replicaset.create_failed',
  'statefulset.missing_service',
  'statefulset.missing_storage_class',
  'statefulset.unavailable',
  'daemonset.unavailable',
  'daemonset.missing_pull_secret',
  'service.no_endpoints',
  'service.not_ready_endpoints',
  'pvc.pending',
  'ingress.no_class',
  'ingress.missing_backend',
  'ingress.missing_tls_secret',
  'job.failed',
  'job.suspended',
  'cronjob.suspended',
  'cronjob.invalid_schedule',
  'node.not_ready',
  'node.pressure',
  'hpa.missing_target',
  'hpa.missing_requests',
  'hpa.metrics_unavailable',
  'hpa.scaling_limited',
  'pdb.disruptions_blocked',
  'pdb.no_pods',
  'networkpolicy.deny_ingress',
  'networkpolicy.no_allowed_peers',
  'networkpolicy.no_pods',
  'workload.inconclusive',
] as const;
export const PatternIdSchema = z.enum(PATTERN_IDS);
export type PatternId = z.infer<typeof PatternIdSchema>;

export const SeveritySchema = z.enum(['critical', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;
export const ConfidenceSchema = z.enum(['high', 'medium', 'low']);
export type Confidence = z.infer<typeof ConfidenceSchema>;

/** Where an evidence item comes from (`shop/pod/checkout-7d9f-x2x9q`) and when it was observed. */
const from = { source: z.string(), at: z.string().optional() };

export const FieldChangeSchema = z.object({ field: z.string(), from: z.string(), to: z.string() });
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const EvidenceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), ...from, reason: z.string(), message: z.string(), count: z.number().int() }),
  z.object({
    type: z.literal('status'),
    ...from,
    /** What was read: `state.waiting`, `lastState.terminated`, `condition PodScheduled`, `phase`. */
    field: z.string(),
    reason: z.string(),
    message: z.string().optional(),
    exitCode: z.number().int().optional(),
  }),
  z.object({
    type: z.literal('log'),
    ...from,
    container: z.string(),
    previous: z.boolean(),
    lines: z.array(z.string()),
  }),
  z.object({
    type: z.literal('metric'),
    ...from,
    query: z.string(),
    value: z.string(),
    /** The Prometheus graph for the query, when the server's URL is known. */
    url: z.string().optional(),
  }),
  z.object({
    type: z.literal('change'),
    ...from,
    revision: z.number().int(),
    previousRevision: z.number().int().optional(),
    changeCause: z.string().optional(),
    changes: z.array(FieldChangeSchema),
    /** True when the failure began after this change (so rolling back is the obvious fix). */
    beforeFailure: z.boolean(),
  }),
  z.object({ type: z.literal('spec'), ...from, field: z.string(), value: z.string() }),
  /**
   * Something besides a rollout that changed around the failure: a referenced ConfigMap or Secret modified
   * (its newest managedFields time; keys only, never values) or a node condition that began. `source` is the
   * object (`shop/configmap/checkout-config`), `at` when it changed.
   */
  z.object({
    type: z.literal('recent_change'),
    ...from,
    what: z.string(),
    /** Who changed it (the field manager: `kubectl-edit`, `helm`, `kubelet`). */
    manager: z.string().optional(),
    beforeFailure: z.boolean(),
  }),
]);
export type Evidence = z.infer<typeof EvidenceSchema>;
export type EvidenceOf<T extends Evidence['type']> = Extract<Evidence, { type: T }>;

export const RunbookSuggestionSchema = z.object({ id: z.string(), params: z.record(z.string(), z.string()) });
export type RunbookSuggestion = z.infer<typeof RunbookSuggestionSchema>;

/** A symptom explained by a finding's cause and shown under it rather than beside it. */
export const FoldedSchema = z.object({ pattern: PatternIdSchema, resource: ResourceRefSchema, title: z.string() });

export const FindingSchema = z.object({
  /** Stable for the same cause on the same resource: `pod.crash_loop:shop/deployment/checkout`. */
  id: z.string(),
  pattern: PatternIdSchema,
  severity: SeveritySchema,
  resource: ResourceRefSchema,
  title: z.string(),
  cause: z.string(),
  evidence: z.array(EvidenceSchema),
  confidence: ConfidenceSchema,
  runbooks: z.array(RunbookSuggestionSchema),
  /** The objects showing it (pods of the workload, pods on the node), at most a few named. */
  affected: z.array(ResourceRefSchema),
  affectedCount: z.number().int(),
  folded: z.array(FoldedSchema),
});
export type Finding = z.infer<typeof FindingSchema>;

export const CheckedSchema = z.object({ kind: z.string(), count: z.number().int() });

export const DiagnosisSchema = z.object({
  cluster: z.string(),
  /** What was diagnosed, in words: `namespace shop`, `shop/deployment/checkout`, `incident #12`. */
  target: z.string(),
  namespace: z.string().optional(),
  at: z.string(),
  durationMs: z.number(),
  /** `problems`: at least one cause found; `inconclusive`: only symptoms; `healthy`: nothing wrong. */
  verdict: z.enum(['problems', 'inconclusive', 'healthy']),
  findings: z.array(FindingSchema),
  checked: z.array(CheckedSchema),
  /** Reads that failed (the request and status), so a partial answer says what it could not see. */
  problems: z.array(z.string()),
  /** Optional kinds not readable with the bot's account (403), e.g. `secret` without Secret reads. */
  skipped: z.array(z.string()).optional(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
