/**
 * A budget's end is an answer, not an error: the model is asked once more, without tools, to answer from what
 * it found (when there is time and tokens left for it); otherwise — or if that fails — the answer is built from
 * the evidence collected so far, and says plainly that it is partial.
 */
import type { BudgetName } from '../budgets.js';
import type { LoopDeps } from '../loop-deps.js';
import { elapsed, type RunState } from '../run-state.js';
import { callModel } from './call-model.js';

export async function partialAnswer(
  state: RunState,
  budget: BudgetName | 'model',
  deps: LoopDeps,
  reason?: string,
): Promise<string> {
  const timeLeft = deps.budgets.deadlineMs - elapsed(state, deps.clock.now()) > 1000;
  const tokensLeft = state.counters.tokens < deps.budgets.maxTokens;
  if (budget !== 'model' && budget !== 'deadline' && budget !== 'tokens' && timeLeft && tokensLeft) {
    state.messages.push({ role: 'user', content: deps.prompts.render('budget_end', { budget: budgetWords(budget) }) });
    const r = await callModel(state, deps, undefined);
    if (r.ok && r.result.message.content && r.result.message.content.trim() !== '') {
      state.messages.push({ role: 'assistant', content: r.result.message.content });
      return r.result.message.content;
    }
  }
  return evidenceSummary(state, budget, deps, reason);
}

function budgetWords(b: BudgetName): string {
  switch (b) {
    case 'steps':
      return 'step';
    case 'tool_calls':
      return 'tool-call';
    case 'tokens':
      return 'token';
    case 'deadline':
      return 'time';
    case 'loop':
      return 'repeated-call';
    default: {
      const never: never = b;
      return never;
    }
  }
}

/** The deterministic partial answer: the budget that ended it and each tool result seen, in order. */
export function evidenceSummary(
  state: RunState,
  budget: BudgetName | 'model',
  deps: LoopDeps,
  reason?: string,
): string {
  const { t } = deps;
  const lines = [
    `## ${t('agent.section.root_cause')}`,
    t('agent.partial.inconclusive', { budget: t(`agent.budget.${budget}`) }) + (reason ? ` (${reason})` : ''),
    '',
    `## ${t('agent.section.evidence')}`,
  ];
  const seen = state.evidence.slice(-12);
  if (seen.length === 0) lines.push(`- ${t('agent.partial.no_evidence')}`);
  for (const e of seen) lines.push(`- \`${e.tool}\` ${JSON.stringify(e.args).slice(0, 120)}: ${e.excerpt}`);
  lines.push('', `## ${t('agent.section.next_steps')}`, `1. ${t('agent.partial.next')}`);
  return lines.join('\n');
}
