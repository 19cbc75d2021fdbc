/** Audit rows for every non-read decision, and verification of a presented approval id against its binding. */

import { type ApprovalCheck, checkApproval } from '../approvals/binding.js';
import type { Approval, ApprovalBinding } from '../approvals/model.js';
import type { Caller, CallOptions, PolicyDecision, ToolResult } from '../ports/tools.js';
import { redactValue } from '../shared/redact.js';
import { mayApprove, type PolicyConfig } from './policy.js';

export interface AuditSink {
  record(
    entry: {
      actor: string;
      action: string;
      target: string | null;
      decision: string | null;
      detail: Record<string, unknown>;
    },
    now: number,
  ): unknown;
}

/** Where approvals live (the store's ApprovalsRepo): read one, and spend one atomically on its bound call. */
export interface ApprovalLookup {
  get(id: string): Approval | undefined;
  consume(id: string, binding: ApprovalBinding, by: string, now: number): boolean;
}

/**
 * An approval id authorises a call when it is approved, unexpired, unused, bound to this very call (tool,
 * cluster, namespace, canonical arguments) and decided by someone who may approve. Spending it is the host's
 * next step (`ApprovalLookup.consume`), so it runs the call once.
 */
export function verifyApproval(
  id: string | undefined,
  approvals: ApprovalLookup | undefined,
  policy: PolicyConfig,
  now: number,
  call: ApprovalBinding,
): ApprovalCheck {
  if (id === undefined) return { ok: false, reason: 'none given' };
  const a = approvals?.get(id);
  if (!a) return { ok: false, reason: `${id} not found` };
  const bound = checkApproval(a, call, now);
  if (!bound.ok) return bound;
  if (!mayApprove(a.decidedBy ?? undefined, policy, call.namespace)) {
    return { ok: false, reason: `${id} was decided by ${a.decidedBy ?? 'nobody'}, who may not approve` };
  }
  return { ok: true };
}

export function auditCall(
  audit: AuditSink | undefined,
  now: number,
  c: {
    name: string;
    caller: Caller;
    args: Record<string, unknown>;
    options: CallOptions;
    decision: PolicyDecision;
    result: ToolResult;
    /** What the call acts on, as the host resolved it from the tool's declared target. */
    scope: { cluster: string | undefined; namespace: string | undefined };
  },
): void {
  if (!audit) return;
  const { cluster, namespace: ns } = c.scope;
  audit.record(
    {
      actor: c.caller.person ?? c.caller.kind,
      action: `tool:${c.name}`,
      target:
        [cluster, ns, typeof c.args.name === 'string' ? c.args.name : undefined].filter(Boolean).join('/') || null,
      decision: c.decision.verdict,
      detail: redactValue({
        caller: c.caller,
        args: c.args,
        rule: c.decision.rule,
        reason: c.decision.reason,
        approvalId: c.options.approvalId ?? null,
        dryRun: c.args.dryRun === true,
        outcome: c.result.kind,
        ...(c.result.kind === 'error' ? { error: c.result.message } : {}),
      }),
    },
    now,
  );
}
