/** The run card's view of a run: its plan and state, the step titles in the locale, the votes, undo. */
import type { Approval } from '../approvals/model.js';
import type { RunCardView } from '../cards/run.js';
import type { RunDeps } from './deps.js';
import type { LoadedRun } from './run-record.js';
import type { Runbook, Step } from './schema.js';

export function runTitle(deps: Pick<RunDeps, 'config'>, runbook: Runbook): string {
  return runbook.title[deps.config.locale];
}

function stepTitle(deps: Pick<RunDeps, 'config'>, s: Step): string {
  return s.title?.[deps.config.locale] ?? s.id;
}

export function runCardView(deps: RunDeps, run: LoadedRun, approvals?: Approval[]): RunCardView {
  const { runbook, plan, state } = run;
  const votes = plan.decisionId ? deps.store.approvals.votes.approvers(plan.decisionId) : [];
  void approvals;
  const base = runbook.id.endsWith('--undo') ? undefined : deps.runbooks.get(runbook.id);
  const undoable =
    state.phase === 'succeeded' && base !== undefined && base.rollback.length > 0 && plan.source !== 'auto';
  return {
    runId: run.row.id,
    title: runTitle(deps, runbook),
    plan,
    state,
    steps: [
      ...runbook.steps.map((s) => ({ section: 'steps' as const, stepId: s.id, title: stepTitle(deps, s) })),
      ...runbook.rollback.map((s) => ({ section: 'rollback' as const, stepId: s.id, title: stepTitle(deps, s) })),
    ],
    votes: votes.length > 0 ? votes : state.approvedBy.filter((a) => a.startsWith('ou_')),
    undoable,
    timezone: deps.config.timezone,
  };
}
