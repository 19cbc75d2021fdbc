/**
 * The shape of a built-in tool: a zod input schema (the single source of truth, turned into the JSON Schema an
 * LLM sees), a safety class, the argument naming its target namespace, truthful MCP annotations and a handler
 * returning a structured outcome. One file per tool under k8s/ and prometheus/; `registerTools` puts a list of
 * them on an McpServer and wraps every call the same way wherever the server runs: the namespace guard first,
 * then the tool under a deadline whose abort signal reaches its HTTP requests, then redaction and output caps.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import type { SafetyClass, UpstreamRequest } from '../ports/tools.js';
import { CodedError, describeError } from '../shared/errors.js';
import { withCallSignal } from './call-signal.js';
import type { ToolGuard } from './tool-guard.js';
import { capOutcome, DEFAULT_OUTPUT_CAPS, type OutputCaps, redactOutcome } from './tool-output.js';

/** Outcome of a built-in tool, carried as MCP `structuredContent`. */
export type ToolOutcome =
  | { status: 'ok'; data: unknown; text: string; truncated?: boolean }
  | { status: 'no_data'; searched: string }
  | {
      status: 'error';
      message: string;
      upstream?: UpstreamRequest;
      /**
       * Why: the upstream failed, the request cannot be met as given (or is refused by the namespace guard), the
       * tool's backend is not set up, or the call's deadline stopped it.
       */
      reason?: 'upstream' | 'request' | 'not_configured' | 'deadline';
    };

/** `_meta` keys by which built-in servers declare what the host enforces. */
export const META_SAFETY_CLASS = 'sre-nanobot/safetyClass';
export const META_DRY_RUN = 'sre-nanobot/dryRun';
/** The argument naming the target namespace (a string), or null when the tool acts on no namespace. */
export const META_NAMESPACE_ARG = 'sre-nanobot/namespaceArg';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a running tool gets besides its arguments: the call's abort signal (deadline or cancellation). */
export interface ToolContext {
  signal: AbortSignal;
}

export interface ToolDef<D, S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  safetyClass: SafetyClass;
  /**
   * The argument that names the namespace the tool acts on, or `null` for a tool that acts on none (nodes,
   * Prometheus). Required for every non-read tool: the namespace guard reads it, never an argument-name guess.
   */
  namespaceArg?: (keyof z.infer<S> & string) | null;
  /** Accepts `dryRun: true` and then returns what would change without changing it. */
  dryRun?: boolean;
  run(args: z.infer<S>, deps: D, ctx: ToolContext): Promise<ToolOutcome>;
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
  /** Refuses a call before it runs (the namespace guard); see tool-guard.ts. */
  guard?: ToolGuard;
  /** Every call is stopped after this long, its upstream requests cancelled [30 s]. */
  deadlineMs?: number;
  /** Caps on what one result may carry [50,000 characters of text and of JSON]. */
  caps?: OutputCaps;
}

export const DEFAULT_DEADLINE_MS = 30_000;

export function registerTools<D>(
  server: McpServer,
  defs: readonly AnyToolDef<D>[],
  deps: D,
  options: RegisterOptions = {},
): void {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const caps = options.caps ?? DEFAULT_OUTPUT_CAPS;
  for (const def of defs) {
    if (def.safetyClass !== 'read' && def.namespaceArg === undefined) {
      throw new Error(`tool ${def.name} is ${def.safetyClass} and must declare namespaceArg (or null)`);
    }
    if (typeof def.namespaceArg === 'string' && !(def.namespaceArg in def.input.shape)) {
      throw new Error(`tool ${def.name} declares namespaceArg ${def.namespaceArg}, which its input does not have`);
    }
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
        _meta: {
          [META_SAFETY_CLASS]: def.safetyClass,
          [META_DRY_RUN]: def.dryRun ?? false,
          [META_NAMESPACE_ARG]: def.namespaceArg ?? null,
        },
      },
      async (args: Record<string, unknown>, extra: { signal: AbortSignal }) => {
        const input = preview ? { ...args, dryRun: true } : args;
        const ns = typeof def.namespaceArg === 'string' ? input[def.namespaceArg] : undefined;
        const refusal = options.guard?.({
          tool: def.name,
          safetyClass: def.safetyClass,
          namespace: typeof ns === 'string' ? ns : undefined,
        });
        const outcome: ToolOutcome = refusal
          ? { status: 'error', message: refusal, reason: 'request' }
          : capOutcome(redactOutcome(await runWithin(def, input, deps, extra.signal, deadlineMs)), caps);
        return toCallResult(outcome);
      },
    );
  }
}

function toCallResult(outcome: ToolOutcome) {
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
}

/** Runs the tool under a deadline that aborts its requests; the caller cancelling aborts them too. */
async function runWithin<D>(
  def: AnyToolDef<D>,
  args: unknown,
  deps: D,
  cancelled: AbortSignal,
  deadlineMs: number,
): Promise<ToolOutcome> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`deadline of ${deadlineMs} ms`)), deadlineMs);
  const signal = AbortSignal.any([cancelled, deadline.signal]);
  let onAbort: () => void = () => {};
  const stopped = new Promise<ToolOutcome>((resolve) => {
    onAbort = () =>
      resolve({
        status: 'error',
        reason: 'deadline',
        message: deadline.signal.aborted
          ? `${def.name} was stopped after its deadline of ${deadlineMs} ms; its requests were cancelled`
          : `${def.name} was cancelled by the caller`,
      });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([withCallSignal(signal, () => runSafely(def, args, deps, { signal })), stopped]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

async function runSafely<D>(def: AnyToolDef<D>, args: unknown, deps: D, ctx: ToolContext): Promise<ToolOutcome> {
  try {
    return await def.run(args, deps, ctx);
  } catch (err) {
    if (err instanceof NotConfiguredError) return { status: 'error', message: err.message, reason: 'not_configured' };
    if (err instanceof UpstreamError) {
      return { status: 'error', message: err.message, upstream: err.upstream, reason: 'upstream' };
    }
    if (err instanceof ToolInputError) return { status: 'error', message: err.message, reason: 'request' };
    return { status: 'error', message: describeError(err) };
  }
}

/** A request the tool cannot meet as given (e.g. a grep pattern outside the supported syntax). */
export class ToolInputError extends CodedError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

function errorText(o: { message: string; upstream?: UpstreamRequest }): string {
  if (!o.upstream) return o.message;
  const status = o.upstream.status === undefined ? '' : ` → ${o.upstream.status}`;
  return `${o.message}\nrequest: ${o.upstream.request}${status}${o.upstream.body ? `\nbody: ${o.upstream.body}` : ''}`;
}
