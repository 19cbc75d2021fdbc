/**
 * Binding an approval to one tool call. `canonicalArgsHash` hashes the tool name and its arguments in a
 * canonical form (keys sorted at every depth, `undefined` dropped, and without `dryRun` — a preview is not the
 * change — or `cluster`, which the binding names separately after resolving the default). `checkApproval` says
 * whether an approval authorises a given call: approved, unexpired, unused, and the same tool, cluster,
 * namespace and arguments. Anything else is refused with a reason a person can read.
 */
import { createHash } from 'node:crypto';
import type { Approval, ApprovalBinding } from './model.js';

/** Argument names that do not change what a call does to the world, so an approval does not cover them. */
const UNBOUND_ARGS = new Set(['dryRun', 'cluster']);

/** JSON with object keys sorted at every depth; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function canonicalArgsHash(tool: string, args: Readonly<Record<string, unknown>>): string {
  const bound = Object.fromEntries(Object.entries(args).filter(([k]) => !UNBOUND_ARGS.has(k)));
  return createHash('sha256')
    .update(canonicalJson({ tool, args: bound }))
    .digest('hex');
}

export function bindingFor(call: {
  tool: string;
  args: Readonly<Record<string, unknown>>;
  cluster: string | undefined;
  namespace: string | undefined;
}): ApprovalBinding {
  return {
    tool: call.tool,
    cluster: call.cluster ?? null,
    namespace: call.namespace ?? null,
    argsHash: canonicalArgsHash(call.tool, call.args),
  };
}

export type ApprovalCheck = { ok: true } | { ok: false; reason: string };

/** Whether `approval` authorises the call described by `call` at `now` (who decided is checked by the caller). */
export function checkApproval(approval: Approval, call: ApprovalBinding, now: number): ApprovalCheck {
  const id = approval.id;
  if (approval.status !== 'approved') return { ok: false, reason: `${id} is ${approval.status}` };
  if (approval.expiresAt !== null && approval.expiresAt < now) return { ok: false, reason: `${id} has expired` };
  if (approval.usedAt !== null) return { ok: false, reason: `${id} was already used; an approval runs one call once` };
  const b = approval.binding;
  if (b === null) return { ok: false, reason: `${id} approves no tool call` };
  if (b.tool !== call.tool) return { ok: false, reason: `${id} approves ${b.tool}, not ${call.tool}` };
  if (b.cluster !== call.cluster) {
    return { ok: false, reason: `${id} approves cluster ${b.cluster ?? '(none)'}, not ${call.cluster ?? '(none)'}` };
  }
  if (b.namespace !== call.namespace) {
    return {
      ok: false,
      reason: `${id} approves namespace ${b.namespace ?? '(none)'}, not ${call.namespace ?? '(none)'}`,
    };
  }
  if (b.argsHash !== call.argsHash) return { ok: false, reason: `${id} approves other arguments for ${b.tool}` };
  return { ok: true };
}
