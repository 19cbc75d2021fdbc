import type { Db } from '../db.js';
import { fromJson, toJson } from '../json.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface Approval {
  id: string;
  runId: string | null;
  incidentId: number | null;
  action: string;
  params: Record<string, unknown>;
  requestedBy: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  reason: string | null;
  chatId: string | null;
  cardMessageId: string | null;
  createdAt: number;
  expiresAt: number | null;
}

export type NewApproval = Pick<
  Approval,
  'id' | 'runId' | 'incidentId' | 'action' | 'params' | 'requestedBy' | 'chatId' | 'expiresAt'
>;

/** Pending decisions persist here, so a restart never loses one and a decision is taken exactly once. */
export class ApprovalsRepo {
  constructor(private readonly db: Db) {}

  create(input: NewApproval, now: number): Approval {
    this.db
      .prepare(
        `INSERT INTO approvals (id, run_id, incident_id, action, params, requested_by, chat_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.id,
        input.runId,
        input.incidentId,
        input.action,
        toJson(input.params),
        input.requestedBy,
        input.chatId,
        now,
        input.expiresAt,
      );
    return this.get(input.id) as Approval;
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

  setCard(id: string, messageId: string): void {
    this.db.prepare('UPDATE approvals SET card_message_id = ? WHERE id = ?').run(messageId, id);
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
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
  chat_id: string | null;
  card_message_id: string | null;
  created_at: number;
  expires_at: number | null;
}

function toApproval(r: Row): Approval {
  return {
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
    cardMessageId: r.card_message_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}
