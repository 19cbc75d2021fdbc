/**
 * Reports: the accuracy votes cast on incident reports (one per person and incident, changeable), the persisted
 * due time of each scheduled digest (so a missed run is caught up once after downtime and never doubled across a
 * restart), and the indexes the report read models scan by time. Written to be safe to apply on any schema that
 * has the first migrations (IF NOT EXISTS throughout).
 */
export const sql = /* sql */ `
CREATE TABLE IF NOT EXISTS report_votes (
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  voter        TEXT NOT NULL,               -- open_id of the person who clicked
  verdict      TEXT NOT NULL CHECK (verdict IN ('right','partly','wrong')),
  voted_at     INTEGER NOT NULL,            -- first vote
  updated_at   INTEGER NOT NULL,            -- last change
  PRIMARY KEY (incident_id, voter)
);
CREATE INDEX IF NOT EXISTS report_votes_updated ON report_votes(updated_at);

CREATE TABLE IF NOT EXISTS report_runs (
  kind         TEXT PRIMARY KEY,            -- daily | weekly
  schedule     TEXT NOT NULL,               -- the cron string the due time was computed from
  due_at       INTEGER NOT NULL,            -- epoch ms of the next run
  last_fire_at INTEGER,                     -- the scheduled time the last posted digest stood for
  last_run_at  INTEGER                      -- when it was built
);

-- Per-period counts of alert episodes by priority, read from the index alone.
CREATE INDEX IF NOT EXISTS alerts_report ON alerts(first_seen, priority);
-- An incident's episodes grouped by alert name and ordered by time: per-name and per-workload counts need no sort.
CREATE INDEX IF NOT EXISTS alerts_incident_name_time ON alerts(incident_id, alertname, first_seen);
CREATE INDEX IF NOT EXISTS incidents_resolved_at ON incidents(resolved_at);
CREATE INDEX IF NOT EXISTS incident_timeline_kind_at ON incident_timeline(kind, at);
`;
