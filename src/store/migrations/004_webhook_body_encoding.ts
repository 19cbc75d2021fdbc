/**
 * Raw Alertmanager bodies above a couple of kilobytes are stored deflated: they are repetitive JSON (the same
 * labels on every alert) and shrink about twentyfold, which makes committing them before the 200 cheaper and
 * keeps weeks of them small. `encoding` says how `body` is stored.
 */
export const sql = /* sql */ `
ALTER TABLE alert_webhooks ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf8' CHECK (encoding IN ('utf8', 'deflate'));
`;
