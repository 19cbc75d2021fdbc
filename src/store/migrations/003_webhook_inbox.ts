/**
 * Alertmanager bodies become a durable inbox: the webhook answers 200 once the raw body is committed, and the
 * alerts in it are applied (graded, grouped, carded) right after, in arrival order. `processed_at` marks a body
 * applied; `attempts`/`error` record a body whose processing failed, kept for inspection and retried at start.
 * Two redundant alert indexes go.
 */
export const sql = /* sql */ `
ALTER TABLE alert_webhooks ADD COLUMN processed_at INTEGER;
ALTER TABLE alert_webhooks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alert_webhooks ADD COLUMN error TEXT;
-- Bodies stored before this migration were applied in the same transaction that stored them.
UPDATE alert_webhooks SET processed_at = received_at;
CREATE INDEX alert_webhooks_pending ON alert_webhooks(id) WHERE processed_at IS NULL;
-- Every alert write maintained these; both are covered by other indexes: incident_id is the prefix of
-- alerts_incident_status, and fingerprint lookups use the (fingerprint, starts_at) unique index.
DROP INDEX alerts_incident;
DROP INDEX alerts_fingerprint;
`;
