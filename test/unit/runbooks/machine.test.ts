/**
 * The run state machine, table-driven: every phase (and, for the phases with a step in hand, before and after
 * the step was recorded as started) against every event — the phase it moves to and the effects it asks for,
 * or that it is ignored and changes nothing. Then the paths a person sees: success, a failed step under each
 * on_failure, a failed verification with and without rollback, "cannot verify", a failed rollback, restarts
 * at every point (a started write is never run again), double approvals and redeliveries.
 */
import { describe, expect, it } from 'vitest';
import {
  type Effect,
  initialRunState,
  PHASES,
  type Phase,
  parseRunState,
  type RunEvent,
  type RunEventType,
  type RunState,
  RunStateSchema,
  type Section,
  transition,
} from '../../../src/runbooks/machine.js';
import { type Runbook, RunbookSchema } from '../../../src/runbooks/schema.js';
import { baseRunbook } from './fixtures.js';

const T0 = Date.parse('2026-11-25T08:00:00Z');

function runbook(over: Record<string, unknown> = {}): Runbook {
  const base = baseRunbook();
  return RunbookSchema.parse({
    ...base,
    steps: [...(base.steps as unknown[]), { id: 'settle', type: 'wait', for: '30s' }],
    rollback: [
      {
        id: 'undo',
        type: 'tool',
        tool: 'workload_scale',
        args: { name: '{{ params.deployment }}', namespace: '{{ params.namespace }}', replicas: 1 },
      },
    ],
    on_failure: 'rollback',
    ...over,
  });
}

const RB = runbook();

/** Applies events in order, checking each state survives a JSON round trip through its schema. */
function run(events: RunEvent[], rb: Runbook = RB, from: RunState = initialRunState(rb.id, T0)) {
  let state = from;
  let effects: Effect[] = [];
  let ignored: string | undefined;
  for (const e of events) {
    const t = transition(state, e, rb);
    expect(RunStateSchema.parse(JSON.parse(JSON.stringify(t.state)))).toEqual(JSON.parse(JSON.stringify(t.state)));
    state = t.state;
    effects = t.effects;
    ignored = t.ignored;
  }
  return { state, effects, ignored };
}

let clock = T0;
const at = () => (clock += 1000);
const approved = (by = ['ou_approver']): RunEvent => ({ type: 'approved', by, at: at() });
const started = (section: Section, index: number): RunEvent => ({ type: 'step_started', section, index, at: at() });
const ok = (section: Section, index: number): RunEvent => ({
  type: 'step_done',
  section,
  index,
  outcome: { result: 'ok' },
  at: at(),
});
const failed = (section: Section, index: number, message = 'upstream said 409'): RunEvent => ({
  type: 'step_done',
  section,
  index,
  outcome: { result: 'failed', message },
  at: at(),
});
const resumed = (): RunEvent => ({ type: 'resumed_after_restart', at: at() });
const effectTypes = (effects: Effect[]) => effects.map((e) => e.type);

const TO_VERIFYING = [approved(), started('steps', 0), ok('steps', 0), started('steps', 1), ok('steps', 1)];
const STATES = {
  awaiting_approval: [],
  'running (step asked for)': [approved()],
  'running (step started)': [approved(), started('steps', 0)],
  verifying: TO_VERIFYING,
  'rolling_back (step asked for)': [
    ...TO_VERIFYING,
    { type: 'verification_failed', detail: 'pods not ready', at: at() },
  ],
  'rolling_back (step started)': [
    ...TO_VERIFYING,
    { type: 'verification_failed', detail: 'pods not ready', at: at() },
    started('rollback', 0),
  ],
  succeeded: [...TO_VERIFYING, { type: 'verification_passed', at: at() }],
  failed: [...TO_VERIFYING, { type: 'cannot_verify', reason: 'Prometheus is not configured', at: at() }],
  rolled_back: [
    ...TO_VERIFYING,
    { type: 'verification_failed', detail: 'pods not ready', at: at() },
    started('rollback', 0),
    ok('rollback', 0),
  ],
  rejected: [{ type: 'rejected', by: 'ou_boss', reason: 'not now', at: at() }],
  expired: [{ type: 'expired', at: at() }],
  interrupted: [approved(), started('steps', 0), resumed()],
} satisfies Record<string, RunEvent[]>;
type Label = keyof typeof STATES;

/** One event of each type, aimed at the step the state has in hand (or the first step). */
function eventOf(type: RunEventType, s: RunState): RunEvent {
  const section = s.cursor?.section ?? 'steps';
  const index = s.cursor?.index ?? 0;
  const now = s.updatedAt + 1000;
  switch (type) {
    case 'approved':
      return { type, by: ['ou_second'], at: now };
    case 'rejected':
      return { type, by: 'ou_second', at: now };
    case 'expired':
    case 'resumed_after_restart':
      return { type, at: now };
    case 'step_started':
      return { type, section, index, at: now };
    case 'step_done':
      return { type, section, index, outcome: { result: 'ok' }, at: now };
    case 'verification_passed':
      return { type, at: now };
    case 'verification_failed':
      return { type, detail: 'restarts continue', at: now };
    case 'cannot_verify':
      return { type, reason: 'query timed out', at: now };
  }
}

type Expect = 'ignored' | [Phase, Effect['type'][]];
const IGNORED_ALL: Record<RunEventType, Expect> = {
  approved: 'ignored',
  rejected: 'ignored',
  expired: 'ignored',
  step_started: 'ignored',
  step_done: 'ignored',
  verification_passed: 'ignored',
  verification_failed: 'ignored',
  cannot_verify: 'ignored',
  resumed_after_restart: 'ignored',
};

const TABLE: Record<Label, Record<RunEventType, Expect>> = {
  awaiting_approval: {
    ...IGNORED_ALL,
    approved: ['running', ['run_step']],
    rejected: ['rejected', ['notify', 'finish']],
    expired: ['expired', ['notify', 'finish']],
    resumed_after_restart: ['awaiting_approval', []],
  },
  'running (step asked for)': {
    ...IGNORED_ALL,
    step_started: ['running', []],
    resumed_after_restart: ['running', ['run_step']],
  },
  'running (step started)': {
    ...IGNORED_ALL,
    step_done: ['running', ['run_step']],
    resumed_after_restart: ['interrupted', ['notify', 'finish']],
  },
  verifying: {
    ...IGNORED_ALL,
    verification_passed: ['succeeded', ['notify', 'finish']],
    verification_failed: ['rolling_back', ['notify', 'run_rollback_step']],
    cannot_verify: ['failed', ['notify', 'finish']],
    resumed_after_restart: ['verifying', ['start_verification']],
  },
  'rolling_back (step asked for)': {
    ...IGNORED_ALL,
    step_started: ['rolling_back', []],
    resumed_after_restart: ['rolling_back', ['run_rollback_step']],
  },
  'rolling_back (step started)': {
    ...IGNORED_ALL,
    step_done: ['rolled_back', ['notify', 'finish']],
    resumed_after_restart: ['interrupted', ['notify', 'finish']],
  },
  succeeded: IGNORED_ALL,
  failed: IGNORED_ALL,
  rolled_back: IGNORED_ALL,
  rejected: IGNORED_ALL,
  expired: IGNORED_ALL,
  interrupted: IGNORED_ALL,
};

const rows = (Object.keys(TABLE) as Label[]).flatMap((label) =>
  (Object.keys(TABLE[label]) as RunEventType[]).map((type) => [label, type, TABLE[label][type]] as const),
);

describe('transition: every phase × every event', () => {
  it('the table has a state in every phase', () => {
    const phases = new Set((Object.keys(STATES) as Label[]).map((l) => run(STATES[l]).state.phase));
    expect([...phases].sort()).toEqual([...PHASES].sort());
  });

  it.each(rows)('%s + %s', (label, type, expected) => {
    const before = run(STATES[label]).state;
    const t = transition(before, eventOf(type, before), RB);
    if (expected === 'ignored') {
      expect(t.ignored).toEqual(expect.any(String));
      expect(t.state).toBe(before);
      expect(t.effects).toEqual([]);
    } else {
      expect(t.ignored).toBeUndefined();
      expect([t.state.phase, effectTypes(t.effects)]).toEqual(expected);
    }
  });
});

describe('a run as the thread sees it', () => {
  it('approve → steps in order → verification → succeeded', () => {
    const a = run([approved(['ou_a', 'ou_b'])]);
    expect(a.effects).toEqual([{ type: 'run_step', index: 0, stepId: 'scale' }]);
    expect(a.state).toMatchObject({
      approvedBy: ['ou_a', 'ou_b'],
      cursor: { section: 'steps', index: 0, stepId: 'scale' },
    });
    const b = run([started('steps', 0), ok('steps', 0)], RB, a.state);
    expect(b.effects).toEqual([{ type: 'run_step', index: 1, stepId: 'settle' }]);
    const c = run([started('steps', 1), ok('steps', 1)], RB, b.state);
    expect(c.effects).toEqual([{ type: 'start_verification' }]);
    const d = run([{ type: 'verification_passed', detail: '3/3 ready', at: at() }], RB, c.state);
    expect(d.effects).toEqual([
      { type: 'notify', kind: 'succeeded', detail: '3/3 ready' },
      { type: 'finish', phase: 'succeeded' },
    ]);
    expect(d.state.history.map((h) => [h.stepId, h.outcome.result])).toEqual([
      ['scale', 'ok'],
      ['settle', 'ok'],
    ]);
    expect(d.state.endedAt).toBe(d.state.updatedAt);
  });

  it('a failed step with on_failure rollback runs the rollback steps and ends rolled_back', () => {
    const r = run([approved(), started('steps', 0), failed('steps', 0)]);
    expect(r.state.phase).toBe('rolling_back');
    expect(r.effects).toEqual([
      { type: 'notify', kind: 'step_failed', stepId: 'scale', detail: 'upstream said 409' },
      { type: 'run_rollback_step', index: 0, stepId: 'undo' },
    ]);
    const done = run([started('rollback', 0), ok('rollback', 0)], RB, r.state);
    expect(done.state).toMatchObject({
      phase: 'rolled_back',
      failure: { stepId: 'scale', message: 'upstream said 409' },
    });
  });

  it('a failed step with on_failure abort ends failed without touching anything else', () => {
    const r = run([approved(), started('steps', 0), failed('steps', 0)], runbook({ on_failure: 'abort' }));
    expect(r.state).toMatchObject({ phase: 'failed', failure: { section: 'steps', stepId: 'scale' } });
    expect(effectTypes(r.effects)).toEqual(['notify', 'finish']);
  });

  it('a failed step with on_failure continue is reported and the next step runs', () => {
    const r = run([approved(), started('steps', 0), failed('steps', 0)], runbook({ on_failure: 'continue' }));
    expect(r.state.phase).toBe('running');
    expect(r.effects).toEqual([
      { type: 'notify', kind: 'step_failed', stepId: 'scale', detail: 'upstream said 409' },
      { type: 'run_step', index: 1, stepId: 'settle' },
    ]);
  });

  it('a failed verification without rollback steps ends failed', () => {
    const rb = runbook({ rollback: [], on_failure: 'abort' });
    const r = run([...TO_VERIFYING, { type: 'verification_failed', detail: 'restarts continue', at: at() }], rb);
    expect(r.state).toMatchObject({ phase: 'failed', verification: { result: 'failed', detail: 'restarts continue' } });
    expect(r.effects[0]).toEqual({ type: 'notify', kind: 'verification_failed', detail: 'restarts continue' });
  });

  it('"cannot verify" is never success and rolls nothing back', () => {
    const r = run([...TO_VERIFYING, { type: 'cannot_verify', reason: 'Prometheus is down', at: at() }]);
    expect(r.state).toMatchObject({
      phase: 'failed',
      verification: { result: 'cannot_verify', detail: 'Prometheus is down' },
    });
    expect(r.effects).toEqual([
      { type: 'notify', kind: 'cannot_verify', detail: 'Prometheus is down' },
      { type: 'finish', phase: 'failed' },
    ]);
  });

  it('a failed rollback step stops the rollback and ends failed', () => {
    const r = run([...STATES['rolling_back (step started)'], failed('rollback', 0, 'forbidden')]);
    expect(r.state).toMatchObject({
      phase: 'failed',
      failure: { section: 'rollback', stepId: 'undo', message: 'forbidden' },
    });
    expect(r.effects[0]).toEqual({ type: 'notify', kind: 'rollback_failed', stepId: 'undo', detail: 'forbidden' });
  });

  it('a rejection records who and why', () => {
    const r = run([{ type: 'rejected', by: 'ou_boss', reason: 'change freeze', at: at() }]);
    expect(r.state).toMatchObject({ phase: 'rejected', rejected: { by: 'ou_boss', reason: 'change freeze' } });
    expect(r.effects[0]).toEqual({ type: 'notify', kind: 'rejected', detail: 'change freeze' });
  });
});

describe('restarts, double clicks and redeliveries', () => {
  it('a write step started but not done is never run again: interrupted, and the thread is told', () => {
    const r = run([approved(), started('steps', 0), resumed()]);
    expect(r.state).toMatchObject({ phase: 'interrupted', failure: { stepId: 'scale' } });
    expect(r.effects).toEqual([
      {
        type: 'notify',
        kind: 'interrupted',
        stepId: 'scale',
        detail: 'the process stopped while step scale was running; it is not run again',
      },
      { type: 'finish', phase: 'interrupted' },
    ]);
    expect(r.effects.some((e) => e.type === 'run_step')).toBe(false);
  });

  it('a started tool step the engine vouches for (repeatable) is asked for again, from not started', () => {
    const r = run([approved(), started('steps', 0), { type: 'resumed_after_restart', at: at(), repeatable: true }]);
    expect(r.state.phase).toBe('running');
    expect(r.state.cursor).toEqual({ section: 'steps', index: 0, stepId: 'scale' });
    expect(r.effects).toEqual([{ type: 'run_step', index: 0, stepId: 'scale' }]);
  });

  it('a step asked for but never started is asked for again', () => {
    const r = run([approved(), resumed()]);
    expect(r.effects).toEqual([{ type: 'run_step', index: 0, stepId: 'scale' }]);
  });

  it('a wait (only observes) started before the crash is repeated, and recorded as started again', () => {
    const r = run([approved(), started('steps', 0), ok('steps', 0), started('steps', 1), resumed()]);
    expect(r.state.phase).toBe('running');
    expect(r.state.cursor).toEqual({ section: 'steps', index: 1, stepId: 'settle' });
    expect(r.effects).toEqual([{ type: 'run_step', index: 1, stepId: 'settle' }]);
    expect(run([started('steps', 1)], RB, r.state).state.cursor?.startedAt).toEqual(expect.any(Number));
  });

  it('a rollback write started before the crash is not run again either', () => {
    const r = run([...STATES['rolling_back (step started)'], resumed()]);
    expect(r.state).toMatchObject({ phase: 'interrupted', failure: { section: 'rollback', stepId: 'undo' } });
  });

  it('a run whose runbook changed under it is interrupted rather than run on', () => {
    const s = run([approved()]).state;
    const edited = runbook({ steps: [{ id: 'other', type: 'wait', for: '1s' }] });
    expect(transition(s, resumed(), edited).state.phase).toBe('interrupted');
    expect(transition(s, started('steps', 0), edited).state.phase).toBe('interrupted');
  });

  it('a second approval, a late expiry and a redelivered step_done change nothing', () => {
    const a = run([approved()]).state;
    expect(transition(a, approved(['ou_other']), RB)).toEqual({
      state: a,
      effects: [],
      ignored: 'approved while running',
    });
    expect(transition(a, { type: 'expired', at: at() }, RB).ignored).toBe('expired while running');
    const b = run([started('steps', 0), ok('steps', 0)], RB, a).state;
    expect(transition(b, ok('steps', 0), RB).ignored).toBe('steps step 0 reported while waiting for steps step 1');
    expect(transition(b, started('steps', 0), RB).ignored).toMatch(/waiting for steps step 1/);
  });

  it('a step reported done without being recorded as started is ignored', () => {
    const a = run([approved()]).state;
    expect(transition(a, ok('steps', 0), RB).ignored).toBe('step scale finished without being recorded as started');
  });

  it('refuses a state that belongs to another runbook', () => {
    expect(() => transition(initialRunState('other', T0), approved(), RB)).toThrow(
      /run of other given runbook scale-test/,
    );
  });
});

describe('RunState as a stored blob', () => {
  it('parses back what was stored', () => {
    const s = run(STATES['rolling_back (step started)']).state;
    expect(parseRunState(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true, state: s });
  });

  it('says which version or field is wrong', () => {
    expect(parseRunState({ ...initialRunState('x', T0), version: 2 })).toEqual({
      ok: false,
      problem: 'run state version 2 is not 1',
    });
    expect(parseRunState(null)).toEqual({ ok: false, problem: 'run state version undefined is not 1' });
    expect(parseRunState({ ...initialRunState('x', T0), phase: 'done' })).toEqual({
      ok: false,
      problem: expect.stringMatching(/^run state is damaged at phase: /),
    });
  });
});
