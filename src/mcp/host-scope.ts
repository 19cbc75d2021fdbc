/**
 * What a call acts on, read from the tool's own declaration rather than guessed from argument names: the
 * arguments with the schema's defaults filled in (what runs is what was approved), the target namespace from
 * the argument the tool declares (`_meta` `sre-nanobot/namespaceArg`; for external tools, a top-level string
 * `namespace` property if their schema has one), the cluster with the default resolved to its name, and the
 * approval binding of exactly that call.
 */
import { bindingFor } from '../approvals/binding.js';
import type { ApprovalBinding } from '../approvals/model.js';

export interface ToolTarget {
  /** Name of the argument that holds the target namespace; `null` when the tool acts on no namespace. */
  namespaceArg: string | null;
  /** Whether the tool takes a `cluster` argument (a configured cluster name). */
  clusterArg: boolean;
  /** Top-level defaults from the input schema. */
  defaults: Record<string, unknown>;
}

export interface CallScope {
  args: Record<string, unknown>;
  namespace: string | undefined;
  cluster: string | undefined;
  binding: ApprovalBinding;
}

type JsonSchema = { properties?: Record<string, { type?: unknown; default?: unknown }> };

/** The target of a tool from its listing: the declared namespace argument (built-ins) and schema facts. */
export function targetOf(inputSchema: unknown, declared: unknown, builtIn: boolean): ToolTarget {
  const props = (inputSchema as JsonSchema | undefined)?.properties ?? {};
  const defaults: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(props)) if (p && 'default' in p) defaults[k] = p.default;
  let namespaceArg: string | null;
  if (builtIn) namespaceArg = typeof declared === 'string' && declared in props ? declared : null;
  else namespaceArg = props.namespace?.type === 'string' ? 'namespace' : null;
  return { namespaceArg, clusterArg: 'cluster' in props, defaults };
}

export function scopeOf(
  tool: string,
  target: ToolTarget,
  args: Record<string, unknown>,
  defaultCluster: string | undefined,
): CallScope {
  const filled: Record<string, unknown> = { ...target.defaults, ...args };
  for (const [k, v] of Object.entries(args))
    if (v === undefined && k in target.defaults) filled[k] = target.defaults[k];
  const ns = target.namespaceArg === null ? undefined : filled[target.namespaceArg];
  const namespace = typeof ns === 'string' ? ns : undefined;
  const cluster = target.clusterArg
    ? typeof filled.cluster === 'string'
      ? filled.cluster
      : defaultCluster
    : undefined;
  if (target.clusterArg && cluster !== undefined) filled.cluster = cluster;
  return { args: filled, namespace, cluster, binding: bindingFor({ tool, args: filled, cluster, namespace }) };
}
