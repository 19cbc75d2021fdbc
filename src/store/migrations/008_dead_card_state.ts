/**
 * State nothing reads goes: `approvals.card_message_id` (an approval card is found through `feishu_cards`,
 * never through the approval). Outbox rows that already ended lose the click's delayed-update card token
 * (valid 30 minutes, a credential for that card): only a pending row needs it.
 */
export const sql = /* sql */ `
ALTER TABLE approvals DROP COLUMN card_message_id;
UPDATE outbox
   SET payload = json_remove(payload, '$.token')
 WHERE kind = 'card_update_token' AND status <> 'pending'
   AND json_valid(payload) AND json_type(payload, '$.token') IS NOT NULL;
`;
