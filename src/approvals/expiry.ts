/**
 * Pending approvals expire on a DueTimer armed for the earliest `expires_at` in SQLite (so a restart re-arms
 * it): the approval, its step approvals and its run become `expired`, and the run card says so.
 */
import { DueTimer } from '../incidents/due-timer.js';
import type { RunDeps } from '../runbooks/deps.js';
import { expireApproval } from './decide.js';

const BATCH = 50;

export function approvalExpiryTimer(deps: RunDeps): DueTimer {
  return new DueTimer({
    clock: deps.clock,
    log: deps.log,
    name: 'approval expiry',
    nextDueAt: () => deps.store.approvals.nextExpiry(),
    run: () => {
      const due = deps.store.approvals.dueToExpire(deps.clock.now(), BATCH);
      for (const a of due) {
        if (expireApproval(deps, a.id)) deps.log.info({ approvalId: a.id }, 'approval expired');
      }
      return due.length === BATCH;
    },
    isOpen: () => deps.store.isOpen(),
    bus: deps.store.bus,
    wakeOn: ['approval.requested', 'approval.decided'],
  });
}
