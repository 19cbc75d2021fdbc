/** The first schema: every table the product's flows need. Later migrations only add. */
export const sql = /* sql */ `
CREATE TABLE processed_events (
  id           TEXT PRIMARY KEY,          -- message_id for im.message.receive_v1, event_id otherwise
  kind         TEXT NOT NULL,             -- event type
  received_at  INTEGER NOT NULL,          -- epoch ms
  status       TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received','handled','failed')),
  error        TEXT,
  payload      TEXT NOT NULL              -- decrypted event JSON
);
CREATE INDEX processed_events_status ON processed_events(status, received_at);

CREATE TABLE alert_webhooks (
  id           INTEGER PRIMARY KEY,
  received_at  INTEGER NOT NULL,
  group_key    TEXT NOT NULL,
  status       TEXT NOT NULL,
  alert_count  INTEGER NOT NULL,
  body         TEXT NOT NULL
);

CREATE TABLE incidents (
  id              INTEGER PRIMARY KEY,
  group_key       TEXT NOT NULL,            -- correlation key (labels the incident was grouped by)
  title           TEXT NOT NULL,
  priority        TEXT NOT NULL CHECK (priority IN ('P0','P1','P2','P3')),
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','acknowledged','resolved')),
  chat_id         TEXT,
  card_message_id TEXT,
  namespace       TEXT,
  cluster         TEXT,
  labels          TEXT NOT NULL DEFAULT '{}',
  resources       TEXT NOT NULL DEFAULT '[]',
  first_seen      INTEGER NOT NULL,
  last_seen       INTEGER NOT NULL,
  acked_at        INTEGER,
  acked_by        TEXT,
  resolved_at     INTEGER,
  resolved_by     TEXT,
  resolve_note    TEXT,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incidents_open ON incidents(group_key, status);
CREATE INDEX incidents_time ON incidents(first_seen);

CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  fingerprint   TEXT NOT NULL,
  starts_at     TEXT NOT NULL,             -- one row per firing episode of a fingerprint
  alertname     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('firing','resolved')),
  severity      TEXT,
  priority      TEXT CHECK (priority IN ('P0','P1','P2','P3')),
  labels        TEXT NOT NULL,
  annotations   TEXT NOT NULL,
  ends_at       TEXT,
  generator_url TEXT,
  incident_id   INTEGER REFERENCES incidents(id),
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 1,
  UNIQUE (fingerprint, starts_at)
);
CREATE INDEX alerts_incident ON alerts(incident_id);
CREATE INDEX alerts_fingerprint ON alerts(fingerprint, last_seen);

CREATE TABLE incident_timeline (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents(id),
  at           INTEGER NOT NULL,
  kind         TEXT NOT NULL,               -- opened, alert_joined, acknowledged, resolved, silenced, …
  actor        TEXT,                        -- open_id, or 'system'
  detail       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, at);

CREATE TABLE conversations (
  id           INTEGER PRIMARY KEY,
  chat_id      TEXT NOT NULL,
  thread_key   TEXT NOT NULL DEFAULT '',    -- root message id for threads, '' for the chat itself
  incident_id  INTEGER REFERENCES incidents(id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (chat_id, thread_key)
);

CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  at              INTEGER NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('system','user','assistant','tool')),
  author          TEXT,
  content         TEXT NOT NULL,
  tool_calls      TEXT,
  tool_call_id    TEXT
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);

CREATE TABLE runbook_runs (
  id            TEXT PRIMARY KEY,
  runbook_id    TEXT NOT NULL,
  incident_id   INTEGER REFERENCES incidents(id),
  params        TEXT NOT NULL DEFAULT '{}',
  state         TEXT NOT NULL,               -- pending_approval, running, verifying, succeeded, failed, rolled_back, rejected
  step_index    INTEGER NOT NULL DEFAULT 0,
  data          TEXT NOT NULL DEFAULT '{}',  -- versioned engine state
  requested_by  TEXT NOT NULL,
  approved_by   TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX runbook_runs_state ON runbook_runs(state);

CREATE TABLE approvals (
  id              TEXT PRIMARY KEY,
  run_id          TEXT REFERENCES runbook_runs(id),
  incident_id     INTEGER REFERENCES incidents(id),
  action          TEXT NOT NULL,
  params          TEXT NOT NULL DEFAULT '{}',
  requested_by    TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','expired')),
  decided_by      TEXT,
  decided_at      INTEGER,
  reason          TEXT,
  chat_id         TEXT,
  card_message_id TEXT,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER
);
CREATE INDEX approvals_status ON approvals(status, created_at);

CREATE TABLE outbox (
  id                INTEGER PRIMARY KEY,
  chat_id           TEXT NOT NULL,          -- ordering lane; per-chat rate limit
  kind              TEXT NOT NULL,          -- send, reply, patch, urgent_app, urgent_phone, card_update
  payload           TEXT NOT NULL,
  dedupe_key        TEXT UNIQUE,            -- an idempotency key chosen by the producer
  coalesce_key      TEXT,                   -- queued patches with the same key collapse into the newest
  ref               TEXT,                   -- what this message is about, e.g. incident:42
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed','superseded')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  last_error        TEXT,
  feishu_message_id TEXT,
  created_at        INTEGER NOT NULL,
  sent_at           INTEGER
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_chat ON outbox(chat_id, status, id);
CREATE INDEX outbox_coalesce ON outbox(coalesce_key, status);

CREATE TABLE feishu_cards (
  card_key    TEXT PRIMARY KEY,             -- stable key of a live card, e.g. incident:42
  chat_id     TEXT NOT NULL,
  message_id  TEXT,                         -- Feishu message id once the card was sent
  updated_at  INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,                  -- open_id, 'system', 'llm', 'runbook:<run>'
  action    TEXT NOT NULL,
  target    TEXT,
  decision  TEXT,                           -- allow, needs_approval, deny, approved, rejected, failed, …
  detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);
`;
