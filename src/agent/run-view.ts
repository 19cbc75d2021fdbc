/** The agent card for a run: from its state and, once it ended or paused, the loop's next step. */
import { type AgentCardInput, type AgentCardStatus, agentCard } from '../cards/agent.js';
import type { CardJson } from '../ports/feishu.js';
import type { Translate } from '../shared/i18n.js';
import { parseAnswer } from './answer.js';
import type { NextStep } from './next-step.js';
import { elapsed, type RunState } from './run-state.js';

export function statusOf(next: NextStep | undefined, state: RunState, t: Translate): AgentCardStatus {
  if (!next) return { kind: 'running', progress: state.progress };
  switch (next.type) {
    case 'final':
      return { kind: 'done', answer: next.answer, inconclusive: parseAnswer(next.answer).inconclusive };
    case 'budget_exhausted':
      return { kind: 'partial', answer: next.partial, budget: t(`agent.budget.${next.budget}`) };
    case 'failed':
      return { kind: 'failed', answer: next.partial, reason: next.reason };
    case 'interrupted':
      return { kind: 'waiting', message: next.message || t('agent.card.waiting') };
    case 'run_again':
      return { kind: 'running', progress: state.progress };
    default: {
      const never: never = next;
      return never;
    }
  }
}

/** The text of a finished run's answer ('' while it runs or waits). */
export function answerOf(next: NextStep): string {
  switch (next.type) {
    case 'final':
      return next.answer;
    case 'budget_exhausted':
    case 'failed':
      return next.partial;
    case 'interrupted':
      return next.message;
    case 'run_again':
      return '';
    default: {
      const never: never = next;
      return never;
    }
  }
}

export function runCard(
  state: RunState,
  next: NextStep | undefined,
  opts: { t: Translate; now: number; model: string },
): CardJson {
  const { t } = opts;
  const text = next ? answerOf(next) : '';
  const refused = state.evidence
    .filter((e) => e.outcome === 'approval_required' && e.excerpt.startsWith('refused'))
    .map((e) => e.tool);
  const decided = Object.entries(state.decided).map(([callId, d]) => {
    const tool = state.evidence.find((e) => e.callId === callId)?.tool ?? callId;
    return `${tool}: ${d.decision}${d.by ? ` (${d.by})` : ''}`;
  });
  const input: AgentCardInput = {
    ...(state.incidentId !== undefined
      ? { incident: { id: state.incidentId, title: state.card.incidentTitle ?? '' } }
      : {}),
    status: statusOf(next, state, t),
    findings: state.card.findings,
    cites: text ? parseAnswer(text).cites : [],
    similar: state.card.similar,
    proposals: next && next.type !== 'run_again' && next.type !== 'interrupted' ? state.proposals : [],
    refused,
    decided,
    footer: {
      steps: state.counters.steps,
      toolCalls: state.counters.toolCalls,
      tokens: state.counters.tokens,
      ms: elapsed(state, opts.now),
      model: opts.model,
    },
  };
  return agentCard(input, t);
}
