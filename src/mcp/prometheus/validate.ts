/** Input hardening for Prometheus tools: PromQL, label names and times are checked before any request. */
import { z } from 'zod';

const MAX_QUERY = 4000;

/** Structural check of a PromQL expression: length, no control characters, balanced brackets outside strings. */
export function promqlProblem(q: string): string | undefined {
  if (q.trim() === '') return 'query is empty';
  if (q.length > MAX_QUERY) return `query is longer than ${MAX_QUERY} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(q)) return 'query contains control characters';
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | undefined;
  for (let i = 0; i < q.length; i++) {
    const c = q[i] as string;
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return `unbalanced "${c}" at position ${i + 1}`;
    } else if (c === '#') {
      // a comment runs to the end of the line
      const nl = q.indexOf('\n', i);
      i = nl === -1 ? q.length : nl;
    }
  }
  if (quote) return 'unterminated string';
  if (stack.length > 0) return `unclosed "${stack[stack.length - 1]}"`;
  return undefined;
}

export const promql = z
  .string()
  .describe('PromQL expression')
  .superRefine((q, ctx) => {
    const problem = promqlProblem(q);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid PromQL: ${problem}` });
  });

export const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name such as namespace');

/** A series selector for match[]: a metric name and/or a {label matchers} block. */
export const seriesSelector = z
  .string()
  .max(1000)
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$|^\{.+\}$/s, 'must be a series selector such as up{job="api"}')
  .superRefine((q, ctx) => {
    const problem = promqlProblem(q);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid selector: ${problem}` });
  });

const RELATIVE = /^now(?:\s*-\s*(\d+(?:\.\d+)?)([smhdw]))?$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `now`, `now-15m`, RFC3339 or unix seconds → unix seconds; undefined when not a time. */
export function parseTime(value: string, nowMs: number): number | undefined {
  const v = value.trim();
  const rel = RELATIVE.exec(v);
  if (rel) {
    const offset = rel[1] ? Number(rel[1]) * (UNIT_MS[rel[2] as string] as number) : 0;
    return (nowMs - offset) / 1000;
  }
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  return undefined;
}

export const timeArg = z
  .string()
  .refine((s) => parseTime(s, 0) !== undefined, 'must be now, now-<n><s|m|h|d|w>, RFC3339 or unix seconds');

/** `30s`, `5m`, `1h` or plain seconds → seconds. */
export function parseStep(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(value.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * ((m[2] ? (UNIT_MS[m[2]] as number) : 1000) / 1000);
  return seconds > 0 ? seconds : undefined;
}
