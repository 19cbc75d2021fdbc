/**
 * The shape of a built-in tool: a zod input schema (the single source of truth, turned into the JSON Schema an
 * LLM sees), a safety class, truthful MCP annotations and a handler returning a structured outcome. One file
 * per tool under k8s/ and prometheus/; `registerTools` puts a list of them on an McpServer.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import type { SafetyClass, UpstreamRequest } from '../ports/tools.js';
import { CodedError, describeError } from '../shared/errors.js';

/** Outcome of a built-in tool, carried as MCP `structuredContent`. */
export type ToolOutcome =
  | { status: 'ok'; data: unknown; text: string }
  | { status: 'no_data'; searched: string }
  | {
      status: 'error';
      message: string;
      upstream?: UpstreamRequest;
      /** Why: the upstream failed, the request cannot be met as given, or the tool's backend is not set up. */
      reason?: 'upstream' | 'request' | 'not_configured';
    };

/** `_meta` keys by which built-in servers declare what the host enforces. */
export const META_SAFETY_CLASS = 'sre-nanobot/safetyClass';
export const META_DRY_RUN = 'sre-nanobot/dryRun';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDef<D, S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  safetyClass: SafetyClass;
  /** Accepts `dryRun: true` and then returns what would change without changing it. */
  dryRun?: boolean;
  run(args: z.infer<S>, deps: D): Promise<ToolOutcome>;
}

/** Annotations derived from the class, so the hints can never drift from what the policy enforces. */
export function annotationsFor(def: { safetyClass: SafetyClass }, idempotent: boolean): ToolAnnotations {
  return {
    readOnlyHint: def.safetyClass === 'read',
    destructiveHint: def.safetyClass === 'destructive',
    idempotentHint: def.safetyClass === 'read' || idempotent,
    openWorldHint: true,
  };
}

/** A failure talking to an upstream API, with the request made and what came back. */
export class UpstreamError extends CodedError {
  readonly upstream: UpstreamRequest;
  constructor(message: string, upstream: UpstreamRequest, cause?: unknown) {
    super('upstream_error', message, { cause, detail: { upstream } });
    this.upstream = upstream;
  }
}

/** The tool's backend (cluster, Prometheus) is not configured; the message says what to set. */
export class NotConfiguredError extends CodedError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** Identity helper that keeps a tool's argument type tied to its schema. */
export function defineTool<D, S extends z.ZodObject>(def: ToolDef<D, S> & { idempotent?: boolean }) {
  return def;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tools, each typed at its definition
export type AnyToolDef<D> = ToolDef<D, any> & { idempotent?: boolean };

export interface RegisterOptions {
  /**
   * Standalone servers without a policy in front of them: write tools only ever run as server-side dry runs
   * (and say so), and are annotated read-only because that is then the truth.
   */
  previewOnly?: boolean;
}

export function registerTools<D>(
  server: McpServer,
  defs: readonly AnyToolDef<D>[],
  deps: D,
  options: RegisterOptions = {},
): void {
  for (const def of defs) {
    const preview = options.previewOnly === true && def.safetyClass !== 'read';
    if (preview && !def.dryRun) continue;
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: preview
          ? `${def.description} Preview only here: runs as a server-side dry run and changes nothing.`
          : def.description,
        inputSchema: def.input,
        annotations: preview
          ? annotationsFor({ safetyClass: 'read' }, true)
          : annotationsFor(def, def.idempotent ?? false),
        _meta: { [META_SAFETY_CLASS]: def.safetyClass, [META_DRY_RUN]: def.dryRun ?? false },
      },
      async (args: unknown) => {
        const input = preview ? { ...(args as object), dryRun: true } : args;
        const outcome = await runSafely(def, input, deps);
        const text =
          outcome.status === 'ok'
            ? outcome.text
            : outcome.status === 'no_data'
              ? `no data: ${outcome.searched}`
              : errorText(outcome);
        return {
          content: [{ type: 'text' as const, text }],
          structuredContent: outcome as Record<string, unknown>,
          isError: outcome.status === 'error',
        };
      },
    );
  }
}

async function runSafely<D>(def: AnyToolDef<D>, args: unknown, deps: D): Promise<ToolOutcome> {
  try {
    return await def.run(args, deps);
  } catch (err) {
    if (err instanceof NotConfiguredError) return { status: 'error', message: err.message, reason: 'not_configured' };
    if (err instanceof UpstreamError) {
      return { status: 'error', message: err.message, upstream: err.upstream, reason: 'upstream' };
    }
    return { status: 'error', message: describeError(err) };
  }
}

function errorText(o: { message: string; upstream?: UpstreamRequest }): string {
  if (!o.upstream) return o.message;
  const status = o.upstream.status === undefined ? '' : ` → ${o.upstream.status}`;
  return `${o.message}\nrequest: ${o.upstream.request}${status}${o.upstream.body ? `\nbody: ${o.upstream.body}` : ''}`;
}
