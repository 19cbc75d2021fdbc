/**
 * Deciding a run's approval, exactly once: one transaction reads the approval, checks it is pending and
 * unexpired and that this person's vote counts (policy.ts), records the vote (one per person: a double click
 * or a redelivered callback counts once), and — when enough distinct approvers agreed, or anyone allowed
 * rejected — takes the decision with a conditional update, approves (or closes) the approvals bound to the
 * run's write steps and moves the run. Every decision and every refusal is an audit row; votes and decisions
 * are on the incident timeline. SQLite serialises the transactions, so racing clicks cannot decide twice.
 */
import type { Actor } from '../access/actor.js';
import type { DecideResult } from '../ports/remediation.js';
import { EXECUTION_WINDOW_MS, type RunDeps } from '../runbooks/deps.js';
import { commitRunEvent, loadRun, patchRunCard } from '../runbooks/run-record.js';
import { formatTime } from '../shared/time.js';
import { mayVote } from './policy.js';

export interface Decided {
  result: DecideResult;
  /** The run to drive now (its approval was just granted). */
  start?: string;
}

export function decideApproval(
  deps: RunDeps,
  approvalId: string,
  actor: Actor,
  decision: 'approve' | 'reject',
  reason?: string,
): Decided {
  const { store, clock, t } = deps;
  const who = actor.openId || '(none)';
  const audit = (outcome: string, detail: Record<string, unknown> = {}) =>
    store.audit.record(
      { actor: who, action: `approval.${decision}`, target: `approval:${approvalId}`, decision: outcome, detail },
      clock.now(),
    );
  const refuse = (code: Extract<DecideResult, { ok: false }>['code'], message: string): Decided => {
    audit('denied', { code, reason: message });
    return { result: { ok: false, code, reason: message } };
  };
  return store.tx((): Decided => {
    const now = clock.now();
    const a = store.approvals.get(approvalId);
    if (!a) return refuse('not_found', t('approval.refused.not_found', { id: approvalId }));
    if (a.binding !== null || a.runId === null) {
      return refuse('not_found', t('approval.refused.notDecidable', { id: approvalId }));
    }
    const run = loadRun(deps, a.runId);
    if (!run) return refuse('not_found', t('approval.refused.not_found', { id: approvalId }));
    if (a.status === 'expired') {
      return refuse(
        'expired',
        t('approval.refused.expired', { id: a.id, at: formatTime(a.expiresAt ?? now, deps.config.timezone) }),
      );
    }
    if (a.status !== 'pending') {
      return refuse('already_decided', t('approval.refused.already_decided', { id: a.id, status: a.status }));
    }
    if (a.expiresAt !== null && a.expiresAt <= now) {
      expireApproval(deps, a.id);
      return refuse(
        'expired',
        t('approval.refused.expired', { id: a.id, at: formatTime(a.expiresAt, deps.config.timezone) }),
      );
    }
    const check = mayVote(
      deps.config,
      t,
      { id: a.id, requestedBy: a.requestedBy, risk: run.plan.risk },
      actor,
      decision,
    );
    if (!check.ok) return refuse('forbidden', check.reason);
    const needed = run.plan.approversNeeded;
    const incidentId = run.plan.incidentId;
    if (decision === 'reject') {
      store.approvals.votes.cast({ approvalId: a.id, voter: who, decision, at: now });
      store.approvals.decide(a.id, 'rejected', who, now, reason ?? null);
      store.approvals.closeSteps(run.row.id, 'rejected', who, now);
      if (incidentId !== null) {
        store.timeline.add(
          incidentId,
          { kind: 'rejected', detail: { approvalId: a.id, ...(reason ? { reason } : {}) } },
          who,
          now,
        );
      }
      commitRunEvent(deps, run.row.id, { type: 'rejected', by: who, ...(reason ? { reason } : {}), at: now });
      audit('rejected', { runId: run.row.id, ...(reason ? { reason } : {}) });
      store.emit({ type: 'approval.decided', approvalId: a.id });
      return { result: { ok: true, status: 'rejected', votes: 0, needed } };
    }
    if (!store.approvals.votes.cast({ approvalId: a.id, voter: who, decision, at: now })) {
      return refuse('duplicate_vote', t('approval.refused.duplicate_vote', { id: a.id }));
    }
    const voters = store.approvals.votes.approvers(a.id);
    if (voters.length < needed) {
      if (incidentId !== null) {
        store.timeline.add(
          incidentId,
          { kind: 'note', detail: { text: `approval ${a.id}: vote ${voters.length}/${needed}` } },
          who,
          now,
        );
      }
      audit('voted', { runId: run.row.id, votes: voters.length, needed });
      patchRunCard(deps, run); // the card shows the vote
      return { result: { ok: true, status: 'pending', votes: voters.length, needed } };
    }
    if (!store.approvals.decide(a.id, 'approved', who, now)) {
      return refuse('already_decided', t('approval.refused.already_decided', { id: a.id, status: 'decided' }));
    }
    store.approvals.approveSteps(run.row.id, a.id, who, now, now + EXECUTION_WINDOW_MS);
    if (incidentId !== null)
      store.timeline.add(incidentId, { kind: 'approved', detail: { approvalId: a.id } }, who, now);
    commitRunEvent(deps, run.row.id, { type: 'approved', by: voters, at: now });
    audit('approved', { runId: run.row.id, approvers: voters });
    store.emit({ type: 'approval.decided', approvalId: a.id });
    return { result: { ok: true, status: 'approved', votes: voters.length, needed }, start: run.row.id };
  });
}

/** Expires a pending approval and its run (the card says "expired"); false when it was no longer pending. */
export function expireApproval(deps: RunDeps, approvalId: string): boolean {
  const { store, clock } = deps;
  return store.tx(() => {
    const now = clock.now();
    const a = store.approvals.get(approvalId);
    if (a?.status !== 'pending' || !store.approvals.decide(a.id, 'expired', 'system', now)) return false;
    if (a.runId !== null) {
      store.approvals.closeSteps(a.runId, 'expired', 'system', now);
      const run = loadRun(deps, a.runId);
      if (run?.plan.incidentId !== null && run?.plan.incidentId !== undefined) {
        store.timeline.add(run.plan.incidentId, { kind: 'expired', detail: { approvalId: a.id } }, 'system', now);
      }
      if (run) commitRunEvent(deps, a.runId, { type: 'expired', at: now });
    }
    store.audit.record(
      { actor: 'system', action: 'approval.expire', target: `approval:${a.id}`, decision: 'expired', detail: {} },
      now,
    );
    store.emit({ type: 'approval.decided', approvalId: a.id });
    return true;
  });
}
