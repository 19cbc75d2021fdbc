/**
 * One vote per person per approval (table approval_votes). A second vote by the same person is refused by the
 * primary key, so double clicks and redelivered callbacks count once; approvals needing two people count
 * distinct voters here.
 */
import type { Db } from '../db.js';

export type Vote = { approvalId: string; voter: string; decision: 'approve' | 'reject'; at: number };

export class ApprovalVotesRepo {
  constructor(private readonly db: Db) {}

  /** Records the vote; false when this person already voted on this approval. */
  cast(vote: Vote): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO approval_votes (approval_id, voter, decision, at) VALUES (?, ?, ?, ?)')
      .run(vote.approvalId, vote.voter, vote.decision, vote.at);
    return r.changes === 1;
  }

  list(approvalId: string): Vote[] {
    const rows = this.db
      .prepare('SELECT * FROM approval_votes WHERE approval_id = ? ORDER BY at, rowid')
      .all(approvalId) as { approval_id: string; voter: string; decision: 'approve' | 'reject'; at: number }[];
    return rows.map((r) => ({ approvalId: r.approval_id, voter: r.voter, decision: r.decision, at: r.at }));
  }

  /** Distinct people who approved, in the order they voted. */
  approvers(approvalId: string): string[] {
    return this.list(approvalId)
      .filter((v) => v.decision === 'approve')
      .map((v) => v.voter);
  }
}
