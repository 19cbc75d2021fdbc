/**
 * The namespace guard inside a tool server, for when no ToolHost policy stands in front of it (the standalone
 * `sre-nanobot mcp k8s --allow-writes`; in the bot it repeats the policy's check). It reads the target
 * namespace from the argument each tool declares (`namespaceArg`), after the arguments were validated and
 * defaulted, and refuses before the tool sends any request.
 */
import { namespaceGuard, type PolicyConfig } from './policy.js';

export interface GuardedCall {
  tool: string;
  safetyClass: 'read' | 'write' | 'destructive';
  namespace: string | undefined;
}

/** Returns why the call is refused, or undefined when it may run. */
export type ToolGuard = (call: GuardedCall) => string | undefined;

export function serverNamespaceGuard(
  config: Pick<PolicyConfig, 'protectedNamespaces' | 'allowNamespaces'>,
  options: {
    /** `--allow-protected`: writes into protected namespaces are permitted (the allowlist still holds). */
    allowProtected?: boolean;
    /** How to permit a write into a protected namespace, named in the refusal. */
    protectedHint?: string;
  } = {},
): ToolGuard {
  const effective = {
    protectedNamespaces: options.allowProtected === true ? [] : config.protectedNamespaces,
    allowNamespaces: config.allowNamespaces,
  };
  return (call) => {
    if (call.safetyClass === 'read') return undefined;
    const denied = namespaceGuard(call.namespace, effective);
    if (!denied) return undefined;
    const how =
      denied.rule === 'protected_namespace'
        ? (options.protectedHint ??
          'start the server with --allow-protected to permit writes into protected namespaces')
        : 'add it to namespaces.allow in the configuration to permit writes there';
    return `${call.tool}: ${denied.reason} (${how})`;
  };
}
