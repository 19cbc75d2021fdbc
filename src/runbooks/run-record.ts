/**
 * A run as stored and every change to it: `loadRun` reads the run, its plan and its state; `commitRunEvent`
 * takes one event through the pure state machine and, in one transaction, stores the new state (optimistically,
 * by version), writes the incident timeline and the audit log, patches the run card and — when the run ends —
 * queues the short final reply that mentions the requester. What is left to do (run a step, verify) is
 * returned for the engine to perform after the commit.
 */
import type { Approval } from '../approvals/model.js';
import { renderRunCard, targetText } from '../cards/run.js';
import type { TimelineDetail } from '../incidents/model.js';
import { CodedError } from '../shared/errors.js';
import type { RunDeps } from './deps.js';
import { type Effect, isTerminal, type RunEvent, type RunState, transition } from './machine.js';
import type { RunbookRun } from './model.js';
import { type RunData, RunDataSchema, type RunPlan } from './plan.js';
import { runCardView, runTitle } from './run-view.js';
import type { Runbook } from './schema.js';

export interface LoadedRun {
  row: RunbookRun;
  plan: RunPlan;
  state: RunState;
  runbook: Runbook;
}

export function runCardKey(runId: string): string {
  return `run:${runId}`;
}

export function loadRun(deps: RunDeps, runId: string): LoadedRun | undefined {
  const row = deps.store.runbookRuns.get(runId);
  if (!row) return undefined;
  const parsed = RunDataSchema.safeParse(row.data);
  if (!parsed.success) {
    throw new CodedError('internal', `run ${runId} has unreadable data: ${parsed.error.issues[0]?.message}`);
  }
  const runbook = runbookOf(deps, parsed.data.plan.runbookId);
  if (!runbook)
    throw new CodedError('internal', `run ${runId} names runbook ${parsed.data.plan.runbookId}, not loaded`);
  return { row, plan: parsed.data.plan, state: parsed.data.state, runbook };
}

/** The runbook a run executes; `<id>--undo` is the rollback section of `<id>` run as steps of its own. */
export function runbookOf(deps: Pick<RunDeps, 'runbooks'>, id: string): Runbook | undefined {
  const direct = deps.runbooks.get(id);
  if (direct) return direct;
  if (!id.endsWith('--undo')) return undefined;
  const base = deps.runbooks.get(id.slice(0, -'--undo'.length));
  if (!base || base.rollback.length === 0) return undefined;
  return { ...base, id, steps: base.rollback, rollback: [], on_failure: 'abort' };
}

export interface Committed {
  run: LoadedRun;
  effects: Effect[];
  ignored?: string;
}

/** Applies one event to a run and announces it; must be called inside or outside a transaction alike. */
export function commitRunEvent(deps: RunDeps, runId: string, event: RunEvent): Committed {
  const { store } = deps;
  return store.tx(() => {
    const run = loadRun(deps, runId);
    if (!run) throw new CodedError('not_found', `no run ${runId}`);
    const tr = transition(run.state, event, run.runbook);
    if (tr.ignored) {
      deps.log.debug({ runId, event: event.type, why: tr.ignored }, 'run event ignored');
      return { run, effects: [], ignored: tr.ignored };
    }
    const data: RunData = { plan: run.plan, state: tr.state };
    const row = store.runbookRuns.update(
      runId,
      {
        state: tr.state.phase,
        stepIndex: tr.state.cursor?.index ?? run.row.stepIndex,
        data: data as unknown as Record<string, unknown>,
        approvedBy: tr.state.approvedBy.length > 0 ? tr.state.approvedBy.join(',') : null,
        endedAt: tr.state.endedAt,
      },
      run.row.version,
      event.at,
    );
    if (!row) throw new CodedError('conflict', `run ${runId} changed meanwhile (version ${run.row.version})`);
    const next: LoadedRun = { ...run, row, state: tr.state };
    announce(deps, next, event, tr.effects);
    return { run: next, effects: tr.effects.filter(isWork) };
  });
}

function isWork(e: Effect): boolean {
  return e.type === 'run_step' || e.type === 'run_rollback_step' || e.type === 'start_verification';
}

/** Timeline, audit, the card patch and, at the end, the final reply — inside the commit's transaction. */
function announce(deps: RunDeps, run: LoadedRun, event: RunEvent, effects: Effect[]): void {
  const { store } = deps;
  const now = event.at;
  const { plan, state } = run;
  const runId = run.row.id;
  const actor = `runbook:${runId}`;
  const timeline = (d: TimelineDetail, who = actor) => {
    if (plan.incidentId !== null) store.timeline.add(plan.incidentId, d, who, now);
  };
  switch (event.type) {
    case 'approved':
      timeline({ kind: 'run_started', detail: { runId, runbookId: plan.runbookId } });
      break;
    case 'step_done': {
      const h = state.history.at(-1);
      if (h) timeline({ kind: 'step_done', detail: { runId, stepId: h.stepId, outcome: h.outcome.result } });
      break;
    }
    case 'verification_passed':
      timeline({ kind: 'verified', detail: { runId } });
      break;
    case 'verification_failed':
      timeline({ kind: 'verification_failed', detail: { runId, reason: event.detail } });
      break;
    case 'cannot_verify':
      timeline({ kind: 'verification_failed', detail: { runId, reason: `cannot verify: ${event.reason}` } });
      break;
    default:
      break;
  }
  for (const e of effects) {
    if (e.type !== 'finish') continue;
    if (e.phase === 'rolled_back') timeline({ kind: 'rolled_back', detail: { runId } });
    timeline({
      kind: 'run_ended',
      detail: {
        runId,
        runbookId: plan.runbookId,
        phase: e.phase,
        ...(state.failure ? { detail: state.failure.message } : {}),
      },
    });
    store.audit.record(
      {
        actor,
        action: 'runbook.run',
        target: plan.targetKey,
        decision: e.phase,
        detail: {
          runbookId: plan.runbookId,
          requester: plan.requester,
          approvedBy: state.approvedBy,
          verification: state.verification?.result ?? null,
          failure: state.failure?.message ?? null,
        },
      },
      now,
    );
    finalReply(deps, run, e.phase);
  }
  patchRunCard(deps, run);
}

/** Queues the run card as it is now (queued patches of one card coalesce into the newest). */
export function patchRunCard(deps: RunDeps, run: LoadedRun, approvals?: Approval[]): void {
  const card = renderRunCard(runCardView(deps, run, approvals), deps.t);
  deps.store.outbox.enqueueMessage(
    { kind: 'patch_card', chatId: run.plan.chatId, cardKey: runCardKey(run.row.id), card },
    deps.clock.now(),
    { ref: runCardKey(run.row.id) },
  );
}

/** Sends the run card for the first time (the approval request, or an automatic run's progress). */
export function sendRunCard(deps: RunDeps, run: LoadedRun): void {
  const key = runCardKey(run.row.id);
  deps.store.cards.claim(key, run.plan.chatId, deps.clock.now());
  const card = renderRunCard(runCardView(deps, run), deps.t);
  deps.store.outbox.enqueueMessage(
    { kind: 'send_card', chatId: run.plan.chatId, cardKey: key, card },
    deps.clock.now(),
    {
      ref: key,
    },
  );
}

/** The short reply that closes a run: under its card when Feishu already has it, else in the chat. */
function finalReply(deps: RunDeps, run: LoadedRun, phase: RunState['phase']): void {
  if (!isTerminal(phase)) return;
  const { plan, state } = run;
  const mention = /^ou_[A-Za-z0-9_-]+$/.test(plan.requester) ? `<at user_id="${plan.requester}"></at>` : '';
  const text = deps
    .t(`run.final.${phase}`, {
      mention,
      title: runTitle(deps, run.runbook),
      target: targetText(plan),
      detail: state.failure?.message ?? state.verification?.detail ?? '—',
      who: state.rejected?.by ?? '—',
    })
    .trim();
  const messageId = deps.store.cards.messageId(runCardKey(run.row.id));
  const dedupeKey = `run-final:${run.row.id}`;
  const now = deps.clock.now();
  if (messageId) {
    deps.store.outbox.enqueueMessage(
      { kind: 'reply', chatId: plan.chatId, messageId, msgType: 'text', content: JSON.stringify({ text }) },
      now,
      { dedupeKey, ref: runCardKey(run.row.id) },
    );
  } else {
    deps.store.outbox.enqueueMessage({ kind: 'send_text', chatId: plan.chatId, text }, now, {
      dedupeKey,
      ref: runCardKey(run.row.id),
    });
  }
}
