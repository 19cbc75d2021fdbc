/**
 * Resuming interrupted runs: on `approval.decided` (a domain event, after commit) every run waiting for that
 * approval is claimed — its stored status moves from `interrupted` to `running` in one transaction, so a
 * redelivered event or a second process resumes it once — and continued with the decision; its card shows the
 * outcome. At start, runs whose approval was decided while the bot was down are resumed the same way.
 */

import { AgentCardPublisher } from './card-publisher.js';
import { resumeRun } from './loop.js';
import { parseRunState, type RunState } from './run-state.js';
import { answerOf } from './run-view.js';
import type { AgentRuntime } from './runtime.js';

export class AgentResumer {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly rt: AgentRuntime) {}

  start(): void {
    const { store } = this.rt.o.ctx;
    this.unsubscribe = store.bus.subscribe((events) => {
      for (const e of events) if (e.type === 'approval.decided') this.resume(e.approvalId);
    });
    for (const run of store.conversations.interruptedRuns()) {
      const parsed = parseRunState(run.state);
      if (!parsed.ok) continue;
      for (const p of parsed.state.pending) this.resume(p.approvalId);
    }
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Resumes the runs waiting for `approvalId` once it is decided (no-op while it is pending). */
  resume(approvalId: string): void {
    const { ctx } = this.rt.o;
    const approval = ctx.store.approvals.get(approvalId);
    if (!approval || approval.status === 'pending') return;
    for (const stored of ctx.store.conversations.runsAwaiting(approvalId)) {
      const parsed = parseRunState(stored.state);
      if (!parsed.ok) {
        ctx.log.error(
          { runId: stored.runId, problem: parsed.problem },
          'agent: stored run state is unreadable; not resumed',
        );
        continue;
      }
      const state = parsed.state;
      if (!this.claim(stored.conversationId, state)) continue;
      const decision = {
        decision: approval.status,
        ...(approval.decidedBy ? { by: nameOf(this.rt, approval.decidedBy) } : {}),
        ...(approval.reason ? { reason: approval.reason } : {}),
        ...(approval.runId ? { runOutcome: `runbook run ${approval.runId}` } : {}),
      } as const;
      const publisher = AgentCardPublisher.existing(ctx, `agent:${state.runId}`, state.chatId);
      const team = this.rt.team;
      if (!team) continue;
      this.rt.track('resume', () =>
        this.rt.execute(
          state,
          stored.conversationId,
          publisher,
          { openId: state.requestedBy },
          async (deps) => {
            state.status = 'interrupted';
            const out = await resumeRun(state, approvalId, decision, deps);
            if (out)
              ctx.log.info(
                { runId: state.runId, next: out.next.type, text: answerOf(out.next).slice(0, 80) },
                'agent: run resumed',
              );
            return out;
          },
          { author: 'approval', text: `${approvalId}: ${approval.status}` },
        ),
      );
    }
  }

  /** Marks the stored run as being resumed; false when another resume got there first. */
  private claim(conversationId: number, state: RunState): boolean {
    const { store, clock } = this.rt.o.ctx;
    return store.tx(() => {
      const fresh = store.conversations.loadRun(state.runId);
      if (fresh?.status !== 'interrupted') return false;
      store.conversations.saveRun(conversationId, state.runId, { ...state, status: 'running' }, clock.now());
      return true;
    });
  }
}

function nameOf(rt: AgentRuntime, id: string): string {
  return rt.o.ctx.config.file.people.find((p) => p.id === id)?.name ?? id;
}
