/**
 * The one tool surface through which the agent, slash commands and the runbook engine act on the world.
 * Built-in Kubernetes and Prometheus MCP servers and external MCP servers all sit behind a ToolHost; every
 * call is decided by one policy (class × caller × namespace × person) and every result is redacted and capped
 * before it leaves the host (the built-in servers also redact and cap their own results, wherever they run).
 *
 * A write runs with an approval only when that approval is bound to the very call: the same tool, cluster,
 * namespace and canonical arguments (`approvals/binding.ts`), and unused — it is spent by the call it
 * authorises, so it authorises nothing else and nothing twice.
 */
import { z } from 'zod';
import type { ApprovalBinding } from '../approvals/model.js';

/** How much harm a tool can do. `read` never changes anything; `write` changes state and can be undone (scale,
 * restart, set image, rollback);
 * `destructive` deletes or disrupts running work (pod deletion, node cordon). */
export const SAFETY_CLASSES = ['read', 'write', 'destructive'] as const;
export const SafetyClassSchema = z.enum(SAFETY_CLASSES);
export type SafetyClass = z.infer<typeof SafetyClassSchema>;

/** Who is asking. `person` is the Feishu open_id of the human behind a command or an approved runbook. */
export type CallerKind = 'llm' | 'command' | 'runbook';
export const CALLER_KINDS = ['llm', 'command', 'runbook'] as const satisfies readonly CallerKind[];

export interface Caller {
  kind: CallerKind;
  /** open_id (`ou_…`) of the person on whose behalf the call is made. */
  person?: string;
}

export interface ToolInfo {
  /** Qualified name `server.tool`, e.g. `k8s.pods_list`, `prometheus.query`. */
  name: string;
  description: string;
  /** JSON Schema of the arguments, derived from the tool's zod schema; given to the LLM as is. */
  inputSchema: Record<string, unknown>;
  /** `undefined` for an external tool not classified in config: every call to it is denied. */
  safetyClass: SafetyClass | undefined;
  /** MCP server name (`k8s`, `prometheus`, or a key of `mcpServers`). */
  server: string;
  /** Whether the tool accepts a server-side dry run (`options.dryRun`). */
  supportsDryRun: boolean;
}

export interface CallOptions {
  /** Upper bound on the call; defaults to the host's timeout. */
  timeoutMs?: number;
  /** Ask the tool for a server-side dry run: nothing changes, the result says what would change. */
  dryRun?: boolean;
  /**
   * Id of an approved approval (store.approvals) bound to this call — tool, cluster, namespace and canonical
   * arguments, as the `approval_required` result named them. It is spent when the call runs.
   */
  approvalId?: string;
}

/** What the policy decided, and why (the reason is shown to people and to the LLM). */
export type PolicyVerdict = 'allow' | 'needs_approval' | 'deny';

export interface PolicyDecision {
  verdict: PolicyVerdict;
  /** Stable identifier of the rule that decided, e.g. `read_allowed`, `protected_namespace`. */
  rule: string;
  reason: string;
}

export interface PolicyInput {
  tool: string;
  safetyClass: SafetyClass | undefined;
  caller: Caller;
  /**
   * Namespace the call acts on, read from the argument the tool declares as its target (`undefined` for
   * cluster-scoped or non-Kubernetes tools).
   */
  namespace: string | undefined;
  cluster: string | undefined;
  dryRun: boolean;
  /**
   * An approval id was given and the host verified it is approved, unexpired, unused, decided by someone who may
   * approve, and bound to this exact tool, cluster, namespace and canonical arguments.
   */
  approved: boolean;
}

/** Description of the request a tool made upstream, so a failed call can be corrected. */
export interface UpstreamRequest {
  /** e.g. `GET /api/v1/namespaces/shop/pods` or `POST /api/v1/query`. */
  request: string;
  status?: number;
  body?: string;
}

export type ToolResult =
  | {
      kind: 'ok';
      tool: string;
      /** Structured result (redacted). */
      data: unknown;
      /** Human/LLM-readable rendering (redacted, capped). */
      text: string;
      truncated: boolean;
      dryRun: boolean;
    }
  | {
      kind: 'no_data';
      tool: string;
      /** What was searched, where, e.g. `pods matching app=cart in namespace shop (cluster prod)`. */
      searched: string;
      args: Record<string, unknown>;
    }
  | {
      kind: 'error';
      tool: string;
      message: string;
      args: Record<string, unknown>;
      /** `invalid_arguments` | `upstream_error` | `timeout` | `unknown_tool` | `not_configured` | `internal`. */
      code: ToolErrorCode;
      upstream?: UpstreamRequest;
    }
  | {
      kind: 'approval_required';
      tool: string;
      args: Record<string, unknown>;
      safetyClass: SafetyClass;
      decision: PolicyDecision;
      /** What an approval must be bound to in order to authorise exactly this call (store it with the request). */
      binding: ApprovalBinding;
      /** Result of a server-side dry run when the tool supports one: what would change. */
      preview?: unknown;
    }
  | {
      kind: 'denied';
      tool: string;
      args: Record<string, unknown>;
      decision: PolicyDecision;
    };

export type ToolResultKind = ToolResult['kind'];

export type ToolErrorCode =
  | 'invalid_arguments'
  | 'upstream_error'
  | 'timeout'
  | 'unknown_tool'
  | 'not_configured'
  | 'internal';

export interface ToolHost {
  /** Every tool the host can call, with its safety class (external unclassified tools included, marked). */
  list(): ToolInfo[];
  /** Policy, then the call, then redaction and size cap. Never throws for tool or policy failures. */
  call(name: string, args: Record<string, unknown>, caller: Caller, options?: CallOptions): Promise<ToolResult>;
  /** Names of the configured clusters (the values Kubernetes tools accept as `cluster`); first is the default. */
  clusters?(): string[];
}

/**
 * The `cluster` argument for tools acting on an alert: the value of its cluster label (config `cluster_label`)
 * when that names a configured cluster; otherwise undefined, which means the default cluster.
 */
export function clusterForAlert(
  labels: Readonly<Record<string, string>>,
  clusterLabel: string,
  known: readonly string[],
): string | undefined {
  const value = labels[clusterLabel];
  return value !== undefined && known.includes(value) ? value : undefined;
}
