/**
 * One model call within the run's budgets: the request carries the run's messages and the profile's tools,
 * and is cut off at the run's deadline. A failing endpoint is an outcome, not an exception, so the loop can
 * still give a partial answer.
 */
import type { ChatResult, ToolSpec } from '../../ports/llm.js';
import { describeError, isCodedError } from '../../shared/errors.js';
import type { LoopDeps } from '../loop-deps.js';
import { elapsed, type RunState } from '../run-state.js';

export type ModelOutcome = { ok: true; result: ChatResult } | { ok: false; reason: string };

export async function callModel(state: RunState, deps: LoopDeps, tools: ToolSpec[] | undefined): Promise<ModelOutcome> {
  const remaining = deps.budgets.deadlineMs - elapsed(state, deps.clock.now());
  if (remaining <= 0) return { ok: false, reason: 'deadline reached' };
  const timeout = AbortSignal.timeout(Math.max(1, remaining));
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  try {
    const result = await deps.llm.chat({
      messages: state.messages,
      ...(tools && tools.length > 0 ? { tools, toolChoice: 'auto' as const } : {}),
      temperature: 0,
      signal,
    });
    state.counters.tokens += result.usage.totalTokens;
    return { ok: true, result };
  } catch (err) {
    const detail = isCodedError(err) && err.detail ? ` ${JSON.stringify(err.detail).slice(0, 300)}` : '';
    deps.log.warn({ err: describeError(err), runId: state.runId }, 'agent: model call failed');
    return { ok: false, reason: `${describeError(err)}${detail}` };
  }
}
