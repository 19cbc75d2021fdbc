/**
 * `pod_logs`: the tail of a container log, optionally filtered. The grep pattern runs on a linear-time matcher
 * (no pattern can stall the process), long lines are cut, and the result keeps the newest lines that fit in
 * LOG_CHAR_BUDGET characters, saying so, so text and structured content together stay small.
 */
import { z } from 'zod';
import { compilePattern, grepLines, patternProblem } from '../grep-lines.js';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, label, name, namespace } from './validate.js';

const input = z.strictObject({
  name,
  namespace,
  container: label.optional().describe('container name; the first container when omitted'),
  tail: z.number().int().min(1).max(5000).default(200).describe('last N lines'),
  previous: z.boolean().default(false).describe('logs of the previous (crashed) container instance'),
  sinceSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
  grep: z
    .string()
    .min(1)
    .max(200)
    .superRefine((s, ctx) => {
      const problem = patternProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: `unsupported pattern: ${problem}` });
    })
    .optional()
    .describe('only lines matching this regular expression (case-insensitive; no backreferences or lookaround)'),
  cluster,
});

/** Characters of log lines one result carries; the newest lines are kept. */
export const LOG_CHAR_BUDGET = 24_000;
/** A longer line is cut to this many characters. */
export const MAX_LINE_CHARS = 2000;

export const podLogsTool = defineTool({
  name: 'pod_logs',
  title: 'Pod logs',
  description:
    'Read a pod container log: last N lines, optionally of the previous instance, since a time, filtered by a ' +
    'regular expression. Credentials in log lines are masked.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps, ctx) {
    const re = args.grep === undefined ? undefined : compilePattern(args.grep);
    const c = pick(deps, args.cluster);
    const q = [
      args.container && `container=${args.container}`,
      `tailLines=${args.tail}`,
      args.previous && 'previous=true',
      args.sinceSeconds && `sinceSeconds=${args.sinceSeconds}`,
    ].filter(Boolean);
    const text = await kube(
      c.name,
      `GET /api/v1/namespaces/${args.namespace}/pods/${args.name}/log?${q.join('&')}`,
      () =>
        c.core.readNamespacedPodLog({
          name: args.name,
          namespace: args.namespace,
          container: args.container,
          tailLines: args.tail,
          previous: args.previous,
          sinceSeconds: args.sinceSeconds,
          limitBytes: 4 * 1024 * 1024,
        }),
    );
    let lines = String(text ?? '').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (re) lines = await grepLines(lines, re, { signal: ctx.signal });
    const which = `${args.previous ? 'previous ' : ''}log of ${args.namespace}/${args.name}${args.container ? ` container ${args.container}` : ''}`;
    if (lines.length === 0) {
      return {
        status: 'no_data',
        searched: `${which}, last ${args.tail} lines${args.grep ? ` matching /${args.grep}/i` : ''} (cluster ${c.name})`,
      };
    }
    const kept = newestWithin(lines, LOG_CHAR_BUDGET);
    const data = { pod: args.name, namespace: args.namespace, lines: kept.lines };
    if (!kept.cut) return { status: 'ok', data, text: kept.lines.join('\n') };
    const note =
      `[truncated: last ${kept.lines.length} of ${lines.length} lines shown (cap ${LOG_CHAR_BUDGET} characters` +
      `, lines cut at ${MAX_LINE_CHARS}); narrow with grep, sinceSeconds or a smaller tail]`;
    return {
      status: 'ok',
      truncated: true,
      data: {
        ...data,
        truncated: { linesShown: kept.lines.length, linesTotal: lines.length, capChars: LOG_CHAR_BUDGET },
      },
      text: `${note}\n${kept.lines.join('\n')}`,
    };
  },
});

/** The newest lines (each cut to MAX_LINE_CHARS) whose total length fits in `budget` characters. */
function newestWithin(lines: readonly string[], budget: number): { lines: string[]; cut: boolean } {
  const out: string[] = [];
  let used = 0;
  let cut = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    let line = lines[i] as string;
    if (line.length > MAX_LINE_CHARS) {
      line = `${line.slice(0, MAX_LINE_CHARS)}…`;
      cut = true;
    }
    if (used + line.length + 1 > budget) return { lines: out.reverse(), cut: true };
    used += line.length + 1;
    out.push(line);
  }
  return { lines: out.reverse(), cut };
}
