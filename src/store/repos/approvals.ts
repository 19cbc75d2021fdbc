/**
 * Approvals persist here, so a restart never loses one. A decision is taken exactly once (`decide`, a
 * conditional UPDATE), and a bound approval is spent exactly once (`consume`, a conditional UPDATE that also
 * re-checks status, expiry and the binding): two callers racing with the same approval id cannot both run.
 * Rows are parsed through `ApprovalSchema`.
 */
import {
  type Approval,
  type ApprovalBinding,
  ApprovalSchema,
  type ApprovalStatus,
  type NewApproval,
  NewApprovalSchema,
} from '../../approvals/model.js';
import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';
import { ApprovalVotesRepo } from './approval-votes.js';

export type { Approval, ApprovalStatus, NewApproval } from '../../approvals/model.js';

export class ApprovalsRepo {
  /** Per-person votes (two-person approvals). */
  readonly votes: ApprovalVotesRepo;

  constructor(private readonly db: Db) {
    this.votes = new ApprovalVotesRepo(db);
  }

  create(input: NewApproval, now: number): Approval {
    const a = NewApprovalSchema.parse(input);
    this.db
      .prepare(
        `INSERT INTO approvals (id, run_id, incident_id, action, params, requested_by, chat_id, created_at, expires_at,
                                tool, cluster, namespace, args_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.id,
        a.runId,
        a.incidentId,
        a.action,
        toJson(a.params),
        a.requestedBy,
        a.chatId,
        now,
        a.expiresAt,
        a.binding?.tool ?? null,
        a.binding?.cluster ?? null,
        a.binding?.namespace ?? null,
        a.binding?.argsHash ?? null,
      );
    return this.get(a.id) as Approval;
  }

  get(id: string): Approval | undefined {
    const row = this.db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
    return row && toApproval(row);
  }

  /**
   * Takes the decision if, and only if, it is still pending. `true` means this call decided; a second click,
   * a redelivered callback or a racing approver gets `false` and must not act again.
   */
  decide(
    id: string,
    status: Exclude<ApprovalStatus, 'pending'>,
    by: string,
    now: number,
    reason: string | null = null,
  ): boolean {
    const r = this.db
      .prepare(
        "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND status = 'pending'",
      )
      .run(status, by, now, reason, id);
    return r.changes === 1;
  }

  /**
   * Spends the approval on the call `binding` describes. `true` only for the one caller that flipped it from
   * unused to used while it was approved, unexpired and bound to exactly this call; every other attempt gets
   * `false` and must not run the call.
   */
  consume(id: string, binding: ApprovalBinding, by: string, now: number): boolean {
    const r = this.db
      .prepare(
        `UPDATE approvals SET used_at = ?, used_by = ?
         WHERE id = ? AND status = 'approved' AND used_at IS NULL AND (expires_at IS NULL OR expires_at >= ?)
           AND tool = ? AND cluster IS ? AND namespace IS ? AND args_hash = ?`,
      )
      .run(now, by, id, now, binding.tool, binding.cluster, binding.namespace, binding.argsHash);
    return r.changes === 1;
  }

  /** The approvals of a run: its decision first, then the one bound to each write step. */
  ofRun(runId: string): Approval[] {
    const rows = this.db
      .prepare('SELECT * FROM approvals WHERE run_id = ? ORDER BY created_at, id')
      .all(runId) as Row[];
    return rows.map(toApproval);
  }

  /**
   * Approves the still-pending approvals bound to a run's write steps, decided by the same person as the run's
   * decision, and gives them until `expiresAt` to be spent (the run's execution window).
   */
  approveSteps(runId: string, decisionId: string, by: string, now: number, expiresAt: number): number {
    const r = this.db
      .prepare(
        `UPDATE approvals SET status = 'approved', decided_by = ?, decided_at = ?, expires_at = ?
         WHERE run_id = ? AND id <> ? AND status = 'pending'`,
      )
      .run(by, now, expiresAt, runId, decisionId);
    return r.changes;
  }

  /** Closes the still-pending approvals of a run (its decision was rejected or expired). */
  closeSteps(runId: string, status: 'rejected' | 'expired', by: string, now: number): void {
    this.db
      .prepare(
        "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ? WHERE run_id = ? AND status = 'pending'",
      )
      .run(status, by, now, runId);
  }

  /** Pending decisions (not step approvals) whose expiry has passed. */
  dueToExpire(now: number, limit: number): Approval[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM approvals WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ?
           AND tool IS NULL ORDER BY expires_at LIMIT ?`,
      )
      .all(now, limit) as Row[];
    return rows.map(toApproval);
  }

  /** When the next pending decision expires. */
  nextExpiry(): number | undefined {
    const r = this.db
      .prepare(
        "SELECT MIN(expires_at) AS t FROM approvals WHERE status = 'pending' AND expires_at IS NOT NULL AND tool IS NULL",
      )
      .get() as { t: number | null };
    return r.t ?? undefined;
  }

  pending(): Approval[] {
    const rows = this.db.prepare("SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at").all() as Row[];
    return rows.map(toApproval);
  }
}

interface Row {
  id: string;
  run_id: string | null;
  incident_id: number | null;
  action: string;
  params: string;
  requested_by: string;
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
  chat_id: string | null;
  created_at: number;
  expires_at: number | null;
  tool: string | null;
  cluster: string | null;
  namespace: string | null;
  args_hash: string | null;
  used_at: number | null;
  used_by: string | null;
}

function toApproval(r: Row): Approval {
  return ApprovalSchema.parse({
    id: r.id,
    runId: r.run_id,
    incidentId: r.incident_id,
    action: r.action,
    params: fromJson(r.params, {}),
    requestedBy: r.requested_by,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    reason: r.reason,
    chatId: r.chat_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    binding:
      r.tool === null || r.args_hash === null
        ? null
        : { tool: r.tool, cluster: r.cluster, namespace: r.namespace, argsHash: r.args_hash },
    usedAt: r.used_at,
    usedBy: r.used_by,
  });
}
