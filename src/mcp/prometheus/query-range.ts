import { z } from 'zod';
import { defineTool } from '../tool.js';
import { type PrometheusDeps, promGet } from './client.js';
import { iso, type MatrixItem, renderMatrix } from './render.js';
import { parseStep, parseTime, promql, timeArg } from './validate.js';

const input = z.strictObject({
  query: promql,
  start: timeArg.default('now-1h').describe('range start: now-1h, RFC3339 or unix seconds'),
  end: timeArg.default('now').describe('range end (default now)'),
  step: z
    .string()
    .refine((s) => parseStep(s) !== undefined, 'must be a step such as 30s, 1m or 60')
    .optional()
    .describe('resolution, e.g. 30s; default spreads maxPoints over the range'),
  maxPoints: z.number().int().min(2).max(11_000).default(300).describe('refuse a step finer than this many points'),
});

export const queryRangeTool = defineTool({
  name: 'query_range',
  title: 'PromQL range query',
  description:
    'Evaluate a PromQL expression over a time range at a step; returns each series with a summary (first, last, ' +
    'min, max) and its points. The step is bounded so the range has at most maxPoints points.',
  input,
  safetyClass: 'read',
  async run(args, deps: PrometheusDeps) {
    const now = deps.now();
    const start = parseTime(args.start, now) as number;
    const end = parseTime(args.end, now) as number;
    if (end <= start) {
      return { status: 'error', message: `end (${iso(end)}) must be after start (${iso(start)})` };
    }
    const minStep = (end - start) / (args.maxPoints - 1);
    const step = args.step === undefined ? Math.max(1, Math.ceil(minStep)) : (parseStep(args.step) as number);
    if (step < minStep) {
      return {
        status: 'error',
        message:
          `step ${args.step} gives ${Math.floor((end - start) / step) + 1} points, more than maxPoints ` +
          `${args.maxPoints}; use a step of at least ${Math.ceil(minStep)}s or a shorter range`,
      };
    }
    const data = (await promGet(deps, 'query_range', [
      ['query', args.query],
      ['start', String(start)],
      ['end', String(end)],
      ['step', String(step)],
    ])) as { resultType: string; result: MatrixItem[] };
    if (data.result.length === 0) {
      return {
        status: 'no_data',
        searched: `PromQL \`${args.query}\` from ${iso(start)} to ${iso(end)} step ${step}s on ${deps.baseUrl}`,
      };
    }
    return { status: 'ok', data: { ...data, step }, text: renderMatrix(data.result) };
  },
});
