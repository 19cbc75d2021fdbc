/**
 * An approval names the one tool call it authorises — tool, cluster, namespace and a canonical hash of the
 * arguments — and records when that call was made, so it is spent after one use. Rows from before have no
 * binding and authorise no tool call.
 */
export const sql = /* sql */ `
ALTER TABLE approvals ADD COLUMN tool TEXT;
ALTER TABLE approvals ADD COLUMN cluster TEXT;
ALTER TABLE approvals ADD COLUMN namespace TEXT;
ALTER TABLE approvals ADD COLUMN args_hash TEXT;
ALTER TABLE approvals ADD COLUMN used_at INTEGER;
ALTER TABLE approvals ADD COLUMN used_by TEXT;
`;
