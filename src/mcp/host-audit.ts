/** Audit rows for every non-read decision, and verification of a presented approval id. */
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

export interface ApprovalLookup {
  get(
    id: string,
  ):
    | { status: string; decidedBy: string | null; expiresAt: number | null; params: Record<string, unknown> }
    | undefined;
}

/**
 * An approval id authorises a call when it is approved, unexpired, decided by someone who may approve, and —
 * when the approval names a namespace or cluster in its params — the call acts on that same namespace/cluster.
 */
export function verifyApproval(
  id: string | undefined,
  approvals: ApprovalLookup | undefined,
  policy: PolicyConfig,
  now: number,
  args: Record<string, unknown> = {},
): { ok: true } | { ok: false; reason: string } {
  if (id === undefined) return { ok: false, reason: 'none given' };
  const a = approvals?.get(id);
  if (!a) return { ok: false, reason: `${id} not found` };
  if (a.status !== 'approved') return { ok: false, reason: `${id} is ${a.status}` };
  if (a.expiresAt !== null && a.expiresAt < now) return { ok: false, reason: `${id} has expired` };
  for (const key of ['namespace', 'cluster'] as const) {
    const approvedFor = a.params[key];
    if (typeof approvedFor === 'string' && typeof args[key] === 'string' && args[key] !== approvedFor) {
      return { ok: false, reason: `${id} approves ${key} ${approvedFor}, not ${String(args[key])}` };
    }
  }
  if (!mayApprove(a.decidedBy ?? undefined, policy)) {
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
  },
): void {
  if (!audit) return;
  const ns = typeof c.args.namespace === 'string' ? c.args.namespace : undefined;
  const cluster = typeof c.args.cluster === 'string' ? c.args.cluster : undefined;
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
