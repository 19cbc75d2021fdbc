/** Turning MCP call results (built-in or external) into ToolResults: redacted, capped, errors in full. */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ToolResult, UpstreamRequest } from '../ports/tools.js';
import { describeError } from '../shared/errors.js';
import { redactText, redactValue, redactValueCollecting, scrubText } from '../shared/redact.js';
import type { ToolOutcome } from './tool.js';
import { capText } from './tool-output.js';

export { TRUNCATED_MARKER } from './tool-output.js';

export interface RawResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
}

export function mapCallResult(
  tool: string,
  args: Record<string, unknown>,
  raw: RawResult,
  builtIn: boolean,
  dryRun: boolean,
  maxChars: number,
): ToolResult {
  const text = textOf(raw.content);
  const outcome = builtIn ? asOutcome(raw.structuredContent) : undefined;
  if (raw.isError === true) {
    const invalid = /^(MCP error -32602: )?Input validation error/.test(text);
    const reason = outcome?.status === 'error' ? (outcome.reason ?? 'request') : undefined;
    const code =
      invalid || reason === 'request'
        ? 'invalid_arguments'
        : reason === 'not_configured'
          ? 'not_configured'
          : reason === 'deadline'
            ? 'timeout'
            : 'upstream_error';
    return {
      kind: 'error',
      tool,
      args,
      code,
      message: redactText(outcome?.status === 'error' ? outcome.message : text || 'tool reported an error'),
      ...(outcome?.status === 'error' && outcome.upstream ? { upstream: redactValue(outcome.upstream) } : {}),
    };
  }
  if (outcome?.status === 'no_data') return { kind: 'no_data', tool, args, searched: outcome.searched };
  if (outcome === undefined && text.trim() === '' && raw.structuredContent === undefined) {
    return { kind: 'no_data', tool, args, searched: `${tool} returned nothing` };
  }
  // Data first: every value masked in the data is also scrubbed from the text rendering of it.
  const redacted = redactValueCollecting(outcome?.status === 'ok' ? outcome.data : (raw.structuredContent ?? text));
  const data = redacted.value;
  const capped = capText(scrubText(outcome?.status === 'ok' ? outcome.text : text, redacted.masked), maxChars);
  const cutByServer = outcome?.status === 'ok' && outcome.truncated === true;
  const json = JSON.stringify(data) ?? '';
  if (json.length > maxChars * 2) {
    return {
      kind: 'ok',
      tool,
      dryRun,
      truncated: true,
      text: capped.text,
      data: { truncated: true, note: `${json.length} characters of structured data omitted; the text shows a part` },
    };
  }
  return { kind: 'ok', tool, dryRun, data, text: capped.text, truncated: capped.truncated || cutByServer };
}

export function mapThrown(tool: string, args: Record<string, unknown>, err: unknown, timeoutMs: number): ToolResult {
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return { kind: 'error', tool, args, code: 'timeout', message: `no result within ${timeoutMs} ms` };
  }
  if (err instanceof McpError && err.code === ErrorCode.InvalidParams) {
    return { kind: 'error', tool, args, code: 'invalid_arguments', message: redactText(err.message) };
  }
  return { kind: 'error', tool, args, code: 'internal', message: redactText(describeError(err)) };
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((c: { type?: string; text?: string }) => (c.type === 'text' ? (c.text ?? '') : `[${c.type} content]`))
    .join('\n');
}

function asOutcome(v: unknown): ToolOutcome | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const s = (v as { status?: unknown }).status;
  return s === 'ok' || s === 'no_data' || s === 'error' ? (v as ToolOutcome) : undefined;
}

export type { UpstreamRequest };
