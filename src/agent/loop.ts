/**
 * The agent loop, an orchestrator of small steps (openai-agents-js `run.ts` + `runner/*`): check the budgets,
 * call the model, run the tools it asked for, decide the next step. The state is persisted after every step;
 * an approval interrupts the run (state `interrupted`), and `resumeRun` continues it once the decision is in.
 *
 *   const { state, next } = await runAgent(state, deps);   // next: final | interrupted | budget_exhausted | failed
 */
import type { BudgetName } from './budgets.js';
import type { LoopDeps } from './loop-deps.js';
import type { NextStep } from './next-step.js';
import { elapsed, type RunState } from './run-state.js';
import { callModel } from './steps/call-model.js';
import { executeTools } from './steps/execute-tools.js';
import { partialAnswer } from './steps/partial-answer.js';
import { frameData } from './tool-message.js';

export interface RunOutcome {
  state: RunState;
  next: NextStep;
}

export async function runAgent(state: RunState, deps: LoopDeps): Promise<RunOutcome> {
  state.status = 'running';
  for (;;) {
    const next = await step(state, deps);
    if (next.type === 'run_again') {
      deps.persist?.(state);
      continue;
    }
    state.counters.elapsedMs = elapsed(state, deps.clock.now());
    state.counters.segmentStartedAt = deps.clock.now();
    state.status = next.type === 'interrupted' ? 'interrupted' : 'done';
    deps.persist?.(state);
    return { state, next };
  }
}

function exhausted(state: RunState, deps: LoopDeps): BudgetName | undefined {
  const b = deps.budgets;
  if (elapsed(state, deps.clock.now()) >= b.deadlineMs) return 'deadline';
  if (state.counters.tokens >= b.maxTokens) return 'tokens';
  if (state.counters.steps >= b.maxSteps) return 'steps';
  return undefined;
}

async function step(state: RunState, deps: LoopDeps): Promise<NextStep> {
  const over = exhausted(state, deps);
  if (over) return { type: 'budget_exhausted', budget: over, partial: await partialAnswer(state, over, deps) };
  state.counters.steps++;
  const model = await callModel(state, deps, deps.toolset.specs);
  if (!model.ok) {
    if (
      /deadline|aborted|timeout|cancel/i.test(model.reason) &&
      elapsed(state, deps.clock.now()) >= deps.budgets.deadlineMs
    ) {
      return { type: 'budget_exhausted', budget: 'deadline', partial: await partialAnswer(state, 'deadline', deps) };
    }
    return { type: 'failed', reason: model.reason, partial: await partialAnswer(state, 'model', deps, model.reason) };
  }
  const { message } = model.result;
  const calls = message.toolCalls ?? [];
  state.messages.push({
    role: 'assistant',
    content: message.content,
    ...(calls.length > 0 ? { toolCalls: calls } : {}),
  });
  if (calls.length === 0) {
    const answer = (message.content ?? '').trim();
    if (answer === '')
      return {
        type: 'failed',
        reason: 'empty answer',
        partial: await partialAnswer(state, 'model', deps, 'empty answer'),
      };
    return { type: 'final', answer };
  }
  const exec = await executeTools(calls, state, deps);
  if (exec.interrupted.length > 0) {
    return {
      type: 'interrupted',
      approvals: exec.interrupted.map((p) => ({ callId: p.callId, approvalId: p.approvalId })),
      message: deps.t('agent.interrupted', { runbooks: exec.interrupted.map((p) => p.runbookId).join(', ') }),
    };
  }
  if (exec.loopStop)
    return { type: 'budget_exhausted', budget: 'loop', partial: await partialAnswer(state, 'loop', deps) };
  if (exec.toolBudgetHit) {
    return { type: 'budget_exhausted', budget: 'tool_calls', partial: await partialAnswer(state, 'tool_calls', deps) };
  }
  if (state.counters.tokens >= deps.budgets.maxTokens) {
    return { type: 'budget_exhausted', budget: 'tokens', partial: await partialAnswer(state, 'tokens', deps) };
  }
  return { type: 'run_again' };
}

/**
 * Continues an interrupted run with the decision on one of its approvals: the outcome goes to the model as data
 * and the loop runs on. Other approvals still pending keep the run interrupted.
 */
export async function resumeRun(
  state: RunState,
  approvalId: string,
  decision: { decision: 'approved' | 'rejected' | 'expired'; by?: string; reason?: string; runOutcome?: string },
  deps: LoopDeps,
): Promise<RunOutcome | undefined> {
  const pending = state.pending.find((p) => p.approvalId === approvalId);
  if (!pending || state.status !== 'interrupted') return undefined;
  state.pending = state.pending.filter((p) => p.approvalId !== approvalId);
  state.decided[pending.callId] = {
    decision: decision.decision,
    ...(decision.by ? { by: decision.by } : {}),
    ...(decision.reason ? { reason: decision.reason } : {}),
  };
  const outcome = [
    `runbook ${pending.runbookId} ${JSON.stringify(pending.args)}: ${decision.decision}`,
    decision.by ? `by ${decision.by}` : '',
    decision.reason ? `reason: ${decision.reason}` : '',
    decision.runOutcome ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  state.messages.push({
    role: 'user',
    content: deps.prompts.render('resume', { outcome: frameData('untrusted_data', { source: 'approval' }, outcome) }),
  });
  state.counters.segmentStartedAt = deps.clock.now();
  if (state.pending.length > 0) {
    deps.persist?.(state);
    return {
      state,
      next: {
        type: 'interrupted',
        approvals: state.pending.map((p) => ({ callId: p.callId, approvalId: p.approvalId })),
        message: '',
      },
    };
  }
  return runAgent(state, deps);
}
