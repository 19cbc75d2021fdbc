/**
 * Filtering log lines by a pattern someone supplied, without ever stalling the process: matching is linear
 * (`linear-regex.ts`), lines are examined up to MAX_MATCH_CHARS each, the work yields to the event loop every
 * few milliseconds, stops when the call's signal aborts, and gives up after a time budget with a message that
 * says how far it got.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { LinearRegex, RegexSyntaxError } from './linear-regex.js';
import { ToolInputError } from './tool.js';

/** Characters of one line a pattern is matched against (longer lines are matched on their start). */
export const MAX_MATCH_CHARS = 8192;
/** Wall-clock budget for one grep; beyond it the call fails and says so. */
export const GREP_BUDGET_MS = 3000;
const SLICE_MS = 8;

/** Compiles a user pattern; the error names what is unsupported. */
export function compilePattern(pattern: string): LinearRegex {
  try {
    return LinearRegex.compile(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new ToolInputError(`grep /${pattern}/: ${err.message}`);
    throw err;
  }
}

/** Undefined when the pattern compiles, otherwise why not (for schema validation). */
export function patternProblem(pattern: string): string | undefined {
  try {
    LinearRegex.compile(pattern);
    return undefined;
  } catch (err) {
    return err instanceof RegexSyntaxError ? err.message : String(err);
  }
}

export async function grepLines(
  lines: readonly string[],
  re: LinearRegex,
  opts: { signal?: AbortSignal; budgetMs?: number; now?: () => number } = {},
): Promise<string[]> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const budget = opts.budgetMs ?? GREP_BUDGET_MS;
  let sliceStart = started;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (re.test(line.length > MAX_MATCH_CHARS ? line.slice(0, MAX_MATCH_CHARS) : line)) out.push(line);
    if (i % 64 !== 63) continue;
    const t = now();
    if (t - started > budget) {
      throw new ToolInputError(
        `grep stopped after ${i + 1} of ${lines.length} lines: matching took longer than ${budget} ms; ` +
          'use a simpler pattern, a smaller tail or sinceSeconds',
      );
    }
    if (t - sliceStart >= SLICE_MS) {
      await yieldToLoop();
      opts.signal?.throwIfAborted();
      sliceStart = now();
    }
  }
  return out;
}
