/**
 * Stored Feishu events lose their credentials: the Verification Token every event carries in `header.token`
 * and the card-update token (`event.token`) of card callbacks. The receiver no longer writes them; this removes
 * them from rows stored before, so nothing in the database holds the Verification Token.
 */
export const sql = /* sql */ `
UPDATE processed_events
   SET payload = json_remove(payload, '$.header.token', '$.token')
 WHERE json_valid(payload)
   AND (json_type(payload, '$.header.token') IS NOT NULL OR json_type(payload, '$.token') IS NOT NULL);
UPDATE processed_events
   SET payload = json_remove(payload, '$.event.token')
 WHERE kind = 'card.action.trigger' AND json_valid(payload) AND json_type(payload, '$.event.token') IS NOT NULL;
`;
