/**
 * The Approval model: a decision a person takes on a card, and — when it authorises a tool call — the binding
 * that says exactly which call: the tool, the cluster, the namespace and a canonical hash of the arguments. A
 * bound approval is used at most once; an unbound one (e.g. the decision to start a runbook) authorises no tool
 * call by itself. The store parses every row through `ApprovalSchema`.
 */
import { z } from 'zod';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** SHA-256 in lower-case hex, as `canonicalArgsHash` returns it. */
export const ArgsHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

/** The one tool call an approval authorises. */
export const ApprovalBindingSchema = z.strictObject({
  /** Qualified tool name, e.g. `k8s.workload_scale`. */
  tool: z.string().min(1),
  /** Configured cluster the call acts on (the default cluster resolved to its name); null when not Kubernetes. */
  cluster: z.string().min(1).nullable(),
  /** Namespace the call acts on, from the tool's declared target argument; null for cluster-scoped tools. */
  namespace: z.string().min(1).nullable(),
  argsHash: ArgsHashSchema,
});
export type ApprovalBinding = z.infer<typeof ApprovalBindingSchema>;

export const ApprovalSchema = z.object({
  id: z.string().min(1),
  runId: z.string().nullable(),
  incidentId: z.number().int().positive().nullable(),
  action: z.string().min(1),
  /** What the card shows about the request; never consulted to authorise anything. */
  params: z.record(z.string(), z.unknown()),
  requestedBy: z.string().min(1),
  status: ApprovalStatusSchema,
  decidedBy: z.string().nullable(),
  decidedAt: z.number().int().nullable(),
  reason: z.string().nullable(),
  chatId: z.string().nullable(),
  createdAt: z.number().int(),
  expiresAt: z.number().int().nullable(),
  /** The call this approval authorises; null when it authorises no tool call. */
  binding: ApprovalBindingSchema.nullable(),
  /** When the bound call was made under this approval (it is then spent), and on whose behalf. */
  usedAt: z.number().int().nullable(),
  usedBy: z.string().nullable(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

export const NewApprovalSchema = ApprovalSchema.pick({
  id: true,
  runId: true,
  incidentId: true,
  action: true,
  params: true,
  requestedBy: true,
  chatId: true,
  expiresAt: true,
}).extend({ binding: ApprovalBindingSchema.nullable().default(null) });
export type NewApproval = z.input<typeof NewApprovalSchema>;
