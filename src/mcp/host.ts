/**
 * The ToolHost: one place where every tool call is listed, decided by the policy, executed with a timeout,
 * mapped to a ToolResult, redacted and capped. Built-in servers run in-process (MCP client over an in-memory
 * transport); external servers come from config (stdio or streamable HTTP) and are denied until classified.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type {
  Caller,
  CallOptions,
  PolicyDecision,
  SafetyClass,
  ToolHost,
  ToolInfo,
  ToolResult,
} from '../ports/tools.js';
import type { Logger } from '../shared/log.js';
import { connectExternal, connectInProcess, type ExternalServerConfig } from './connect.js';
import { type ApprovalLookup, type AuditSink, auditCall, verifyApproval } from './host-audit.js';
import { mapCallResult, mapThrown, type RawResult } from './host-result.js';
import { type CallScope, scopeOf, type ToolTarget, targetOf } from './host-scope.js';
import { decide, type PolicyConfig } from './policy.js';
import { META_DRY_RUN, META_NAMESPACE_ARG, META_SAFETY_CLASS } from './tool.js';

export interface ToolHostOptions {
  builtIns: { name: string; server: McpServer }[];
  external?: Record<string, ExternalServerConfig>;
  /** `server.tool` → class for external tools. */
  toolClasses?: Record<string, SafetyClass>;
  policy: PolicyConfig;
  log: Logger;
  now: () => number;
  audit?: AuditSink;
  approvals?: ApprovalLookup;
  /** Default per-call timeout (ms). */
  timeoutMs?: number;
  /** Largest text rendering returned; longer output is cut with a "truncated" marker. */
  maxOutputChars?: number;
  /** Configured cluster names, default first. */
  clusters?: string[];
  /** Called once per call with its outcome and duration (metrics). */
  observe?: (e: { tool: string; kind: ToolResult['kind']; seconds: number }) => void;
}

interface Entry {
  info: ToolInfo;
  rawName: string;
  client: Client;
  builtIn: boolean;
  target: ToolTarget;
}

export class McpToolHost implements ToolHost {
  private readonly tools = new Map<string, Entry>();
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly timeoutMs: number;
  private readonly maxOutputChars: number;

  private constructor(private readonly options: ToolHostOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxOutputChars = options.maxOutputChars ?? 20_000;
  }

  /** Connects every server; an external server that cannot be reached is logged and skipped. */
  static async start(options: ToolHostOptions): Promise<McpToolHost> {
    const host = new McpToolHost(options);
    for (const { name, server } of options.builtIns) {
      const conn = await connectInProcess(server);
      host.closers.push(conn.close);
      await host.addServer(name, conn.client, true);
    }
    for (const [name, config] of Object.entries(options.external ?? {})) {
      try {
        const conn = await connectExternal(config, host.timeoutMs);
        host.closers.push(conn.close);
        await host.addServer(name, conn.client, false);
      } catch (err) {
        options.log.warn({ server: name, err: (err as Error).message }, 'external MCP server unavailable; skipped');
      }
    }
    for (const key of Object.keys(options.toolClasses ?? {})) {
      const entry = host.tools.get(key);
      if (!entry) options.log.warn({ tool: key }, 'tool_classes names a tool no server offers');
      else if (entry.builtIn)
        options.log.warn({ tool: key }, 'tool_classes cannot reclassify a built-in tool; ignored');
    }
    return host;
  }

  private async addServer(server: string, client: Client, builtIn: boolean): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.timeoutMs });
      for (const t of page.tools) {
        const name = `${server}.${t.name}`;
        const declared = t._meta?.[META_SAFETY_CLASS];
        const safetyClass = builtIn
          ? (declared as SafetyClass | undefined)
          : // External servers' own hints are not trusted: only configuration classifies them.
            this.options.toolClasses?.[name];
        this.tools.set(name, {
          rawName: t.name,
          client,
          builtIn,
          target: targetOf(t.inputSchema, t._meta?.[META_NAMESPACE_ARG], builtIn),
          info: {
            name,
            description: t.description ?? t.title ?? t.name,
            inputSchema: t.inputSchema as Record<string, unknown>,
            safetyClass,
            server,
            supportsDryRun: builtIn && t._meta?.[META_DRY_RUN] === true,
          },
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  clusters(): string[] {
    return [...(this.options.clusters ?? [])];
  }

  list(): ToolInfo[] {
    return [...this.tools.values()].map((e) => e.info);
  }

  async call(
    name: string,
    args: Record<string, unknown>,
    caller: Caller,
    options: CallOptions = {},
  ): Promise<ToolResult> {
    const started = performance.now();
    const result = await this.decideAndCall(name, args, caller, options);
    this.options.observe?.({ tool: name, kind: result.kind, seconds: (performance.now() - started) / 1000 });
    return result;
  }

  private async decideAndCall(
    name: string,
    args: Record<string, unknown>,
    caller: Caller,
    options: CallOptions,
  ): Promise<ToolResult> {
    const entry = this.tools.get(name);
    if (!entry) {
      return { kind: 'error', tool: name, code: 'unknown_tool', args, message: `no tool named ${name}` };
    }
    const { info } = entry;
    const dryRun = info.supportsDryRun && (options.dryRun === true || args.dryRun === true);
    const scope = scopeOf(name, entry.target, args, this.options.clusters?.[0]);
    const callArgs: Record<string, unknown> = info.supportsDryRun ? { ...scope.args, dryRun } : scope.args;
    const approval = verifyApproval(
      options.approvalId,
      this.options.approvals,
      this.options.policy,
      this.options.now(),
      scope.binding,
    );
    const decision = decide(
      {
        tool: name,
        safetyClass: info.safetyClass,
        caller,
        namespace: scope.namespace,
        cluster: scope.cluster,
        dryRun,
        approved: approval.ok,
      },
      this.options.policy,
    );
    if (!approval.ok && options.approvalId !== undefined) decision.reason += ` (approval: ${approval.reason})`;
    // Spending the approval is the last step before the call, and atomic: of two racing callers one runs.
    if (
      decision.verdict === 'allow' &&
      decision.rule === 'approved' &&
      !this.spend(options.approvalId, scope, caller)
    ) {
      decision.verdict = 'needs_approval';
      decision.rule = 'approval_spent';
      decision.reason = `approval ${options.approvalId} was used by another call meanwhile; ask for a new one`;
    }

    let result: ToolResult;
    switch (decision.verdict) {
      case 'deny':
        result = { kind: 'denied', tool: name, args, decision };
        break;
      case 'needs_approval':
        result = await this.approvalRequired(entry, callArgs, scope, decision, options);
        break;
      case 'allow':
        result = await this.execute(entry, callArgs, dryRun, options.timeoutMs);
        break;
      default: {
        const never: never = decision.verdict;
        throw new Error(`unknown verdict ${String(never)}`);
      }
    }
    if (info.safetyClass !== 'read') {
      auditCall(this.options.audit, this.options.now(), {
        name,
        caller,
        args: callArgs,
        options,
        decision,
        result,
        scope: { cluster: scope.cluster, namespace: scope.namespace },
      });
    }
    return result;
  }

  private spend(approvalId: string | undefined, scope: CallScope, caller: Caller): boolean {
    if (approvalId === undefined || !this.options.approvals) return false;
    return this.options.approvals.consume(approvalId, scope.binding, caller.person ?? caller.kind, this.options.now());
  }

  /**
   * The approval request names the binding an approval must carry to authorise this call, and a server-side
   * dry run of the change when the tool supports one.
   */
  private async approvalRequired(
    entry: Entry,
    args: Record<string, unknown>,
    scope: CallScope,
    decision: PolicyDecision,
    options: CallOptions,
  ): Promise<ToolResult> {
    const safetyClass = entry.info.safetyClass as SafetyClass;
    const base = {
      kind: 'approval_required' as const,
      tool: entry.info.name,
      args,
      safetyClass,
      decision,
      binding: scope.binding,
    };
    if (!entry.info.supportsDryRun) return base;
    const preview = await this.execute(entry, { ...args, dryRun: true }, true, options.timeoutMs);
    return { ...base, preview: preview.kind === 'ok' ? preview.data : preview };
  }

  private async execute(
    entry: Entry,
    args: Record<string, unknown>,
    dryRun: boolean,
    timeoutMs: number | undefined,
  ): Promise<ToolResult> {
    const timeout = timeoutMs ?? this.timeoutMs;
    try {
      const raw = await entry.client.callTool({ name: entry.rawName, arguments: args }, undefined, { timeout });
      return mapCallResult(entry.info.name, args, raw as RawResult, entry.builtIn, dryRun, this.maxOutputChars);
    } catch (err) {
      return mapThrown(entry.info.name, args, err, timeout);
    }
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      await close().catch((err: Error) => this.options.log.warn({ err: err.message }, 'closing MCP connection'));
    }
  }
}
