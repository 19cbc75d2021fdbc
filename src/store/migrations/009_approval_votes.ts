/**
 * Two-person approvals and runs the engine can find by what they act on: `approval_votes` holds one vote per
 * person per approval (the primary key makes a second vote by the same person a no-op), and a run names its
 * target (`cluster/kind/namespace/name`), when it ended and its version of the engine's plan. At most one run
 * per target is active at a time — the partial unique index refuses a second one, whatever races.
 */
export const sql = /* sql */ `
CREATE TABLE approval_votes (
  approval_id TEXT NOT NULL REFERENCES approvals(id),
  voter       TEXT NOT NULL,
  decision    TEXT NOT NULL CHECK (decision IN ('approve','reject')),
  at          INTEGER NOT NULL,
  PRIMARY KEY (approval_id, voter)
);
ALTER TABLE runbook_runs ADD COLUMN target TEXT;
ALTER TABLE runbook_runs ADD COLUMN ended_at INTEGER;
UPDATE runbook_runs SET state = 'awaiting_approval' WHERE state = 'pending_approval';
CREATE UNIQUE INDEX runbook_runs_one_active ON runbook_runs(target)
  WHERE target IS NOT NULL AND state IN ('awaiting_approval','running','verifying','rolling_back');
CREATE INDEX runbook_runs_target_ended ON runbook_runs(target, ended_at);
CREATE INDEX approvals_run ON approvals(run_id);
`;
