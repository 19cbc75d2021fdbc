/**
 * The runbook engine: drives approved runs to their end, one driver per run. Every move is the same three
 * beats — load the run, take the event through the pure state machine (machine.ts), store the new state by
 * version and announce it (run-record.ts) — and only then perform what the machine asked for: a step (recorded
 * as started before it runs and as done after) or the verification. After a restart `resume()` hands every
 * unfinished run a `resumed_after_restart` event: a step never started runs, an observation is repeated, and a
 * write that was started but not recorded as done is not run again — the run is interrupted and the thread is
 * told. `stop()` aborts waits and checks (they are repeated on resume) and lets a tool call in flight finish.
 */

import { targetText } from '../cards/run.js';
import { CodedError } from '../shared/errors.js';
import type { RunDeps } from './deps.js';
import { isTerminal } from './machine.js';
import { plannedCall } from './plan.js';
import { commitRunEvent, type LoadedRun, loadRun, runCardKey } from './run-record.js';
import { runTitle } from './run-view.js';
import { executeStep } from './steps/index.js';
import { verifyRun } from './verify.js';

const ACTIVE = ['running', 'verifying', 'rolling_back'] as const;

export class RunbookEngine {
  private readonly drivers = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(readonly deps: RunDeps) {}

  /** Drives a run in the background (no-op while it is already being driven or after stop). */
  kick(runId: string): void {
    if (this.abort.signal.aborted || this.drivers.has(runId)) return;
    const p = this.drive(runId)
      .catch((err) => this.deps.log.error({ err, runId }, 'runbook run failed in the engine'))
      .finally(() => this.drivers.delete(runId));
    this.drivers.set(runId, p);
  }

  /** At start-up: every run that was moving when the process stopped is resumed or marked interrupted. */
  resume(): string[] {
    const runs = this.deps.store.runbookRuns.inStates(ACTIVE);
    for (const row of runs) {
      try {
        const before = loadRun(this.deps, row.id);
        const r = commitRunEvent(this.deps, row.id, {
          type: 'resumed_after_restart',
          at: this.deps.clock.now(),
          ...(before && this.safeToRepeat(before) ? { repeatable: true } : {}),
        });
        if (before && !isTerminal(r.run.state.phase)) this.tellResumed(r.run);
        this.kick(row.id);
      } catch (err) {
        this.deps.log.error({ err, runId: row.id }, 'cannot resume runbook run');
      }
    }
    return runs.map((r) => r.id);
  }

  /** Resolves once no run is being driven (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.drivers.size > 0) await Promise.allSettled([...this.drivers.values()]);
  }

  /** Stops driving; `wait: false` does not wait for a tool call in flight (the process is going away). */
  async stop(options: { wait?: boolean } = {}): Promise<void> {
    this.abort.abort(new CodedError('unavailable', 'the bot is stopping'));
    if (options.wait !== false) await this.idle();
  }

  /**
   * Whether the tool step a run was in when the process stopped may run again: a read, or a write whose
   * one-use approval is unspent — the host spends it before it calls, so the call never reached the cluster.
   */
  private safeToRepeat(run: LoadedRun): boolean {
    const c = run.state.cursor;
    if (!c || c.startedAt === undefined) return false;
    const call = plannedCall(run.plan, c.section, c.index);
    if (!call || call.stepId !== c.stepId) return false;
    if (call.safetyClass === 'read') return true;
    if (!call.approvalId) return false;
    const a = this.deps.store.approvals.get(call.approvalId);
    return a !== undefined && a.status === 'approved' && a.usedAt === null;
  }

  private async drive(runId: string): Promise<void> {
    const signal = this.abort.signal;
    const { deps } = this;
    for (;;) {
      if (signal.aborted) return;
      const run = loadRun(deps, runId);
      if (!run || isTerminal(run.state.phase) || run.state.phase === 'awaiting_approval') return;
      const log = deps.log.child({ runId, runbookId: run.plan.runbookId });
      if (run.state.phase === 'verifying') {
        let event: Awaited<ReturnType<typeof verifyRun>>;
        try {
          event = await verifyRun(deps, run, signal);
        } catch (err) {
          if (signal.aborted) return; // verification is repeated on resume
          event = { type: 'cannot_verify', reason: (err as Error).message, at: deps.clock.now() };
        }
        commitRunEvent(deps, runId, event);
        log.info({ result: event.type }, 'run verified');
        continue;
      }
      const c = run.state.cursor;
      if (!c || c.startedAt !== undefined) return; // only resume() decides about a step already started
      const started = commitRunEvent(deps, runId, {
        type: 'step_started',
        section: c.section,
        index: c.index,
        at: deps.clock.now(),
      });
      if (started.ignored) return;
      const list = c.section === 'steps' ? run.runbook.steps : run.runbook.rollback;
      const step = list[c.index];
      if (!step) return;
      let outcome: Awaited<ReturnType<typeof executeStep>>;
      try {
        outcome = await executeStep(step, { deps, run: started.run, section: c.section, index: c.index, signal });
      } catch (err) {
        if (signal.aborted && step.type !== 'tool' && step.type !== 'notify') return; // repeated on resume
        outcome = { result: 'failed', message: (err as Error).message || String(err) };
      }
      log.info({ step: step.id, section: c.section, result: outcome.result }, 'runbook step done');
      commitRunEvent(deps, runId, {
        type: 'step_done',
        section: c.section,
        index: c.index,
        outcome,
        at: deps.clock.now(),
      });
    }
  }

  private tellResumed(run: LoadedRun): void {
    const { deps } = this;
    const text = deps.t('run.resumed', { title: runTitle(deps, run.runbook), target: targetText(run.plan) });
    const key = runCardKey(run.row.id);
    const messageId = deps.store.cards.messageId(key);
    const now = deps.clock.now();
    const dedupeKey = `run-resumed:${run.row.id}:${run.row.version}`;
    if (messageId) {
      deps.store.outbox.enqueueMessage(
        { kind: 'reply', chatId: run.plan.chatId, messageId, msgType: 'text', content: JSON.stringify({ text }) },
        now,
        { dedupeKey, ref: key },
      );
    } else {
      deps.store.outbox.enqueueMessage({ kind: 'send_text', chatId: run.plan.chatId, text }, now, {
        dedupeKey,
        ref: key,
      });
    }
    if (run.plan.incidentId !== null) {
      deps.store.timeline.add(
        run.plan.incidentId,
        { kind: 'note', detail: { text: `run ${run.row.id} resumed after a restart` } },
        `runbook:${run.row.id}`,
        now,
      );
    }
  }
}
