/** `ApprovalDecider` over decide.ts: takes the decision, then hands an approved run to the engine. */
import type { Actor } from '../access/actor.js';
import type { ApprovalDecider, DecideResult } from '../ports/remediation.js';
import type { RunDeps } from '../runbooks/deps.js';
import { decideApproval } from './decide.js';

export class Decider implements ApprovalDecider {
  constructor(
    private readonly deps: RunDeps,
    private readonly onStart: (runId: string) => void,
  ) {}

  async decide(
    approvalId: string,
    actor: Actor,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<DecideResult> {
    const d = decideApproval(this.deps, approvalId, actor, decision, reason);
    if (d.start) this.onStart(d.start);
    return d.result;
  }
}
