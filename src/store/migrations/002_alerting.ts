/**
 * Alerting state beyond the first schema: workload correlation and storm membership of incidents, persisted
 * escalation timers, Alertmanager silences created from cards, heartbeat alerts, and alert storms per chat.
 */
export const sql = /* sql */ `
ALTER TABLE incidents ADD COLUMN correlation_key TEXT;   -- cluster/namespace/workload, for related alerts
ALTER TABLE incidents ADD COLUMN card_key TEXT;          -- live card showing it: incident:<id> or storm:<id>
ALTER TABLE incidents ADD COLUMN storm_id INTEGER;       -- summarised on a storm card instead of its own
CREATE INDEX incidents_correlation ON incidents(correlation_key, status);
CREATE INDEX incidents_storm ON incidents(storm_id);
-- Covers the per-incident counts (firing/resolved by alertname) that every card update reads.
CREATE INDEX alerts_incident_status ON alerts(incident_id, status, alertname);

CREATE TABLE escalations (
  incident_id  INTEGER PRIMARY KEY REFERENCES incidents(id),
  step         INTEGER NOT NULL,           -- index of the next escalation step to run
  due_at       INTEGER NOT NULL,           -- epoch ms when it runs
  status       TEXT NOT NULL CHECK (status IN ('pending','done','stopped')),
  updated_at   INTEGER NOT NULL
);
CREATE INDEX escalations_due ON escalations(status, due_at);

CREATE TABLE silences (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  silence_id   TEXT NOT NULL UNIQUE,       -- Alertmanager's id
  created_by   TEXT NOT NULL,              -- open_id of the person who clicked
  matchers     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active','expired','removed')),
  checked_at   INTEGER
);
CREATE INDEX silences_state ON silences(state);
CREATE INDEX silences_incident ON silences(incident_id);

CREATE TABLE heartbeats (
  name         TEXT PRIMARY KEY,           -- alertname, e.g. Watchdog
  last_seen    INTEGER NOT NULL,
  status       TEXT NOT NULL,              -- firing | resolved as last reported
  incident_id  INTEGER REFERENCES incidents(id)   -- the open "pipeline down" incident, if any
);

-- Live cards whose content changed and are due for a coalesced patch (survives a restart).
CREATE TABLE card_refresh (
  card_key     TEXT PRIMARY KEY,           -- incident:<id> or storm:<id>
  due_at       INTEGER NOT NULL
);
CREATE INDEX card_refresh_due ON card_refresh(due_at);

CREATE TABLE alert_storms (
  id           INTEGER PRIMARY KEY,
  chat_id      TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  ended_at     INTEGER,
  incidents    INTEGER NOT NULL DEFAULT 0,
  counts       TEXT NOT NULL DEFAULT '{}'   -- alertname and namespace → alerts firing/resolved
);
CREATE INDEX alert_storms_chat ON alert_storms(chat_id, ended_at);
`;
