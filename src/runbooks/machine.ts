/**
 * The runbook run state machine: one pure reducer, `transition(state, event, runbook) → { state, effects }`.
 * No clock, no I/O: times come in on the events, and what must happen next goes out as effects (run step N,
 * run rollback step N, start the verification, tell the thread, finish). The engine persists the new state
 * (optimistically, by version) before it performs the effects, and records every step as started before it
 * runs it and as done after — so after a crash:
 *
 * - a step asked for but never started is asked for again;
 * - a step started and not done is never run again when it may have written (a tool call, a message): the run
 *   is `interrupted` and the thread is told; a wait or a check, which only observe, is simply repeated, and so
 *   is a tool step the engine vouches for (`repeatable`: a read, or a write whose one-use approval is unspent);
 * - a verification in progress is started again (it only reads).
 *
 * An event that does not fit the phase (a second approval, a late expiry, a redelivered step_done) changes
 * nothing and asks for nothing; the result says why it was ignored.
 *
 * Failures: a failed step follows the runbook's `on_failure` (abort → failed; continue → next step; rollback →
 * the rollback steps). A failed verification runs the rollback steps when there are any, else the run failed.
 * "Cannot verify" ends the run as failed with the verification recorded as cannot_verify — never as success,
 * and without rolling back a change that may have worked. A failed rollback step stops the rollback.
 */
import { CodedError } from '../shared/errors.js';
import {
  type Cursor,
  type Effect,
  isTerminal,
  type NoticeKind,
  type RunEvent,
  type RunState,
  type Section,
  type StepOutcome,
  type TerminalPhase,
} from './run-state.js';
import type { Runbook, Step } from './schema.js';

export * from './run-state.js';

export interface Transition {
  state: RunState;
  effects: Effect[];
  /** Set when the event did not apply: the state is unchanged and there are no effects. */
  ignored?: string;
}

/** Step types that only observe: repeating one after a crash is harmless. */
const REPEATABLE: ReadonlySet<Step['type']> = new Set(['wait', 'check_promql', 'check_resource']);

export function transition(state: RunState, event: RunEvent, runbook: Runbook): Transition {
  if (state.runbookId !== runbook.id) {
    throw new CodedError('internal', `run of ${state.runbookId} given runbook ${runbook.id}`);
  }
  if (isTerminal(state.phase)) return ignore(state, `the run has ended (${state.phase})`);
  const s: RunState = { ...state, updatedAt: Math.max(state.updatedAt, event.at) };
  switch (event.type) {
    case 'approved':
      if (s.phase !== 'awaiting_approval') return ignore(state, `approved while ${s.phase}`);
      return startSection({ ...s, approvedBy: event.by, approvedAt: event.at }, runbook, 'steps', 0, []);
    case 'rejected':
      if (s.phase !== 'awaiting_approval') return ignore(state, `rejected while ${s.phase}`);
      return finish({ ...s, rejected: { by: event.by, reason: event.reason, at: event.at } }, 'rejected', event.at, [
        notice('rejected', { detail: event.reason }),
      ]);
    case 'expired':
      if (s.phase !== 'awaiting_approval') return ignore(state, `expired while ${s.phase}`);
      return finish(s, 'expired', event.at, [notice('expired')]);
    case 'step_started': {
      const c = expected(s, event.section, event.index);
      if (typeof c === 'string') return ignore(state, c);
      if (c.startedAt !== undefined) return ignore(state, `step ${c.stepId} was already recorded as started`);
      if (stepAt(runbook, c.section, c.index)?.id !== c.stepId)
        return interrupt(s, c, event.at, 'the runbook changed during the run');
      return { state: { ...s, cursor: { ...c, startedAt: event.at } }, effects: [] };
    }
    case 'step_done': {
      const c = expected(s, event.section, event.index);
      if (typeof c === 'string') return ignore(state, c);
      if (c.startedAt === undefined)
        return ignore(state, `step ${c.stepId} finished without being recorded as started`);
      const done: RunState = {
        ...s,
        cursor: null,
        history: [
          ...s.history,
          {
            section: c.section,
            index: c.index,
            stepId: c.stepId,
            startedAt: c.startedAt,
            finishedAt: event.at,
            outcome: event.outcome,
          },
        ],
      };
      return afterStep(done, runbook, c, event.outcome, event.at);
    }
    case 'verification_passed':
      if (s.phase !== 'verifying') return ignore(state, `verification result while ${s.phase}`);
      return finish(
        { ...s, verification: { result: 'passed', detail: event.detail, at: event.at } },
        'succeeded',
        event.at,
        [notice('succeeded', { detail: event.detail })],
      );
    case 'verification_failed': {
      if (s.phase !== 'verifying') return ignore(state, `verification result while ${s.phase}`);
      const v: RunState = { ...s, verification: { result: 'failed', detail: event.detail, at: event.at } };
      const told = notice('verification_failed', { detail: event.detail });
      if (runbook.rollback.length > 0)
        return startSection({ ...v, phase: 'rolling_back' }, runbook, 'rollback', 0, [told]);
      return finish({ ...v, failure: { message: `verification failed: ${event.detail}` } }, 'failed', event.at, [told]);
    }
    case 'cannot_verify':
      if (s.phase !== 'verifying') return ignore(state, `verification result while ${s.phase}`);
      return finish(
        {
          ...s,
          verification: { result: 'cannot_verify', detail: event.reason, at: event.at },
          failure: { message: `cannot verify: ${event.reason}` },
        },
        'failed',
        event.at,
        [notice('cannot_verify', { detail: event.reason })],
      );
    case 'resumed_after_restart':
      return resume(s, runbook, event.at, event.repeatable === true);
    default: {
      const never: never = event;
      throw new CodedError('internal', `unhandled run event ${JSON.stringify(never)}`);
    }
  }
}

function resume(s: RunState, runbook: Runbook, now: number, repeatable: boolean): Transition {
  switch (s.phase) {
    case 'awaiting_approval':
      return { state: s, effects: [] };
    case 'verifying':
      return { state: s, effects: [{ type: 'start_verification' }] };
    case 'running':
    case 'rolling_back': {
      const c = s.cursor;
      if (!c) return interrupt(s, undefined, now, `the run was ${s.phase} with no step in hand`);
      const step = stepAt(runbook, c.section, c.index);
      if (step?.id !== c.stepId) return interrupt(s, c, now, 'the runbook changed during the run');
      if (c.startedAt === undefined) return { state: s, effects: [runEffect(c)] };
      if (REPEATABLE.has(step.type) || (repeatable && step.type === 'tool')) {
        const again: Cursor = { section: c.section, index: c.index, stepId: c.stepId };
        return { state: { ...s, cursor: again }, effects: [runEffect(again)] };
      }
      return interrupt(s, c, now, `the process stopped while step ${c.stepId} was running; it is not run again`);
    }
    case 'succeeded':
    case 'failed':
    case 'rolled_back':
    case 'rejected':
    case 'expired':
    case 'interrupted':
      return ignore(s, `the run has ended (${s.phase})`);
    default: {
      const never: never = s.phase;
      throw new CodedError('internal', `unhandled phase ${String(never)}`);
    }
  }
}

function afterStep(s: RunState, runbook: Runbook, c: Cursor, outcome: StepOutcome, now: number): Transition {
  if (outcome.result === 'ok') return startSection(s, runbook, c.section, c.index + 1, []);
  const told = notice(c.section === 'rollback' ? 'rollback_failed' : 'step_failed', {
    stepId: c.stepId,
    detail: outcome.message,
  });
  const failure = { section: c.section, stepId: c.stepId, message: outcome.message };
  if (c.section === 'rollback') return finish({ ...s, failure }, 'failed', now, [told]);
  switch (runbook.on_failure) {
    case 'continue':
      return startSection(s, runbook, 'steps', c.index + 1, [told]);
    case 'rollback':
      if (runbook.rollback.length > 0) {
        return startSection({ ...s, phase: 'rolling_back', failure }, runbook, 'rollback', 0, [told]);
      }
      return finish({ ...s, failure }, 'failed', now, [told]);
    case 'abort':
      return finish({ ...s, failure }, 'failed', now, [told]);
    default: {
      const never: never = runbook.on_failure;
      throw new CodedError('internal', `unhandled on_failure ${String(never)}`);
    }
  }
}

/** Asks for step `index` of `section`, or moves on when the section is done. */
function startSection(s: RunState, runbook: Runbook, section: Section, index: number, effects: Effect[]): Transition {
  const step = stepAt(runbook, section, index);
  if (step) {
    const cursor: Cursor = { section, index, stepId: step.id };
    return {
      state: { ...s, phase: section === 'steps' ? 'running' : 'rolling_back', cursor },
      effects: [...effects, runEffect(cursor)],
    };
  }
  if (section === 'steps') {
    return { state: { ...s, phase: 'verifying', cursor: null }, effects: [...effects, { type: 'start_verification' }] };
  }
  return finish({ ...s, cursor: null }, 'rolled_back', s.updatedAt, [...effects, notice('rolled_back')]);
}

function finish(s: RunState, phase: TerminalPhase, now: number, effects: Effect[]): Transition {
  return {
    state: { ...s, phase, cursor: null, endedAt: now },
    effects: [...effects, { type: 'finish', phase }],
  };
}

function interrupt(s: RunState, c: Cursor | undefined, now: number, message: string): Transition {
  const failure = c ? { section: c.section, stepId: c.stepId, message } : { message };
  return finish({ ...s, failure }, 'interrupted', now, [notice('interrupted', { stepId: c?.stepId, detail: message })]);
}

/** The cursor when the event names the step the run is waiting for, else why it does not. */
function expected(s: RunState, section: Section, index: number): Cursor | string {
  const phase = section === 'steps' ? 'running' : 'rolling_back';
  if (s.phase !== phase) return `${section} step ${index} reported while ${s.phase}`;
  const c = s.cursor;
  if (!c || c.section !== section || c.index !== index) {
    return `${section} step ${index} reported while waiting for ${c ? `${c.section} step ${c.index}` : 'nothing'}`;
  }
  return c;
}

function stepAt(runbook: Runbook, section: Section, index: number): Step | undefined {
  return (section === 'steps' ? runbook.steps : runbook.rollback)[index];
}

function runEffect(c: Cursor): Effect {
  return c.section === 'steps'
    ? { type: 'run_step', index: c.index, stepId: c.stepId }
    : { type: 'run_rollback_step', index: c.index, stepId: c.stepId };
}

function notice(kind: NoticeKind, extra: { stepId?: string | undefined; detail?: string | undefined } = {}): Effect {
  return {
    type: 'notify',
    kind,
    ...(extra.stepId !== undefined ? { stepId: extra.stepId } : {}),
    ...(extra.detail !== undefined ? { detail: extra.detail } : {}),
  };
}

function ignore(state: RunState, why: string): Transition {
  return { state, effects: [], ignored: why };
}
