/**
 * On-call overrides set in chat (`/oncall override`): who covers a rotation from when to when, who set it, and
 * the message that set it (a redelivered message records one override, not two).
 */
export const sql = /* sql */ `
CREATE TABLE oncall_overrides (
  id INTEGER PRIMARY KEY,
  rotation TEXT NOT NULL,
  who TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  source TEXT NOT NULL UNIQUE,
  CHECK (ends_at > starts_at)
);
CREATE INDEX oncall_overrides_by_rotation ON oncall_overrides (rotation, ends_at);
`;
