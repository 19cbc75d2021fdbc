/**
 * One safety policy for every tool call: class × caller × namespace guard × person → allow | needs_approval |
 * deny. Pure; the ToolHost applies it before calling and audits every decision on a write.
 *
 * | class        | llm            | command                           | runbook                          |
 * |--------------|----------------|-----------------------------------|----------------------------------|
 * | read         | allow          | allow                             | allow                            |
 * | write        | needs_approval | needs_approval (viewer → deny)    | allow with approval, else needs  |
 * | destructive  | needs_approval | needs_approval (approver/admin)   | allow with approval, else needs  |
 * | unclassified | deny           | deny                              | deny                             |
 *
 * A write or destructive call into a protected namespace (default kube-system) or outside the allowlist is
 * denied for every caller. A server-side dry run changes nothing, so command and runbook callers may preview
 * freely; the LLM still only gets an approval card (with the preview attached by the host).
 */
import { mayDecideApproval } from '../access/approval.js';
import type { Role } from '../access/roles.js';
import type { PolicyDecision, PolicyInput } from '../ports/tools.js';

export type { Role } from '../access/roles.js';

export interface PolicyConfig {
  /** Namespaces where writes are refused unless also listed in `allow`. */
  protectedNamespaces: readonly string[];
  /** When set, writes are permitted only in these namespaces. */
  allowNamespaces: readonly string[] | undefined;
  people: readonly { id: string; roles: readonly Role[] }[];
  /**
   * Namespaces where a low-risk runbook runs without a click (`approvals.low.auto_namespaces`): there an
   * approval decided by `AUTO_FIX_APPROVER` (the configuration itself) authorises its bound call.
   */
  autoNamespaces?: readonly string[];
}

/** Who decided an automatic run's approvals: the configuration, not a person. */
export const AUTO_FIX_APPROVER = 'auto:approvals.low.auto_namespaces';

export const DEFAULT_POLICY: PolicyConfig = {
  protectedNamespaces: ['kube-system'],
  allowNamespaces: undefined,
  people: [],
};

export function decide(input: PolicyInput, config: PolicyConfig): PolicyDecision {
  const { safetyClass, caller } = input;
  if (safetyClass === undefined) {
    return deny(
      'unclassified',
      `${input.tool} has no safety class; classify it under tool_classes in the configuration to use it`,
    );
  }
  if (safetyClass === 'read') return { verdict: 'allow', rule: 'read_allowed', reason: 'read-only tool' };

  const guard = namespaceGuard(input.namespace, config);
  if (guard) return guard;

  const roles = rolesOf(caller.person, config);
  switch (caller.kind) {
    case 'llm':
      return {
        verdict: 'needs_approval',
        rule: 'llm_write',
        reason: `${input.tool} is a ${safetyClass} tool; the assistant may only propose it for approval`,
      };
    case 'command': {
      if (roles !== undefined && !mayRequest(safetyClass, roles)) {
        return deny(
          'role_insufficient',
          `${caller.person} (roles: ${roles.join(', ') || 'none'}) may not request a ${safetyClass} action`,
        );
      }
      if (input.dryRun) return { verdict: 'allow', rule: 'dry_run', reason: 'server-side dry run changes nothing' };
      if (input.approved) return { verdict: 'allow', rule: 'approved', reason: 'approved on a card' };
      return { verdict: 'needs_approval', rule: 'command_write', reason: `${safetyClass} action needs an approval` };
    }
    case 'runbook':
      if (input.dryRun) return { verdict: 'allow', rule: 'dry_run', reason: 'server-side dry run changes nothing' };
      if (input.approved) return { verdict: 'allow', rule: 'approved', reason: 'approved on a card' };
      return { verdict: 'needs_approval', rule: 'runbook_unapproved', reason: `${safetyClass} step needs an approval` };
    default: {
      const never: never = caller.kind;
      return deny('unknown_caller', `unknown caller ${String(never)}`);
    }
  }
}

/** The namespace guard alone: why a write into this namespace is refused, or undefined when it is not. */
export function namespaceGuard(
  namespace: string | undefined,
  config: Pick<PolicyConfig, 'protectedNamespaces' | 'allowNamespaces'>,
): PolicyDecision | undefined {
  if (namespace === undefined) return undefined;
  const allowed = config.allowNamespaces?.includes(namespace) ?? false;
  if (config.protectedNamespaces.includes(namespace) && !allowed) {
    return deny('protected_namespace', `namespace ${namespace} is protected: writes are refused`);
  }
  if (config.allowNamespaces !== undefined && !allowed) {
    return deny('namespace_not_allowed', `namespace ${namespace} is not in namespaces.allow: writes are refused`);
  }
  return undefined;
}

/** Roles of a configured person; `undefined` when the person is not configured (approval decides later). */
export function rolesOf(person: string | undefined, config: PolicyConfig): readonly Role[] | undefined {
  if (person === undefined) return undefined;
  return config.people.find((p) => p.id === person)?.roles;
}

function mayRequest(safetyClass: 'write' | 'destructive', roles: readonly Role[]): boolean {
  if (roles.includes('admin') || roles.includes('approver')) return true;
  return safetyClass === 'write' && roles.includes('operator');
}

/** Whether a person may approve a call (checked when an approval id is presented): `can(…, 'approval.decide')`. */
export function mayApprove(person: string | undefined, config: PolicyConfig, namespace?: string | null): boolean {
  if (person === AUTO_FIX_APPROVER) return namespace != null && (config.autoNamespaces ?? []).includes(namespace);
  return mayDecideApproval(person, config.people);
}

function deny(rule: string, reason: string): PolicyDecision {
  return { verdict: 'deny', rule, reason };
}
