/**
 * The domain model in the schema: an incident's resources become `{cluster, kind, namespace, name}` objects
 * (they were "namespace/kind/name" strings), `feishu_cards` becomes the one record that a card exists (a row from
 * the moment its first message is queued), and state nothing reads goes: `incidents.card_message_id`, the
 * incident's copy of its card key, and the storm counts stored only to be rendered.
 */
export const sql = /* sql */ `
UPDATE incidents SET resources = (
  SELECT json_group_array(json(
    CASE WHEN p.ns = '' THEN json_object('cluster', COALESCE(incidents.cluster, ''), 'kind', p.kind, 'name', p.name)
         ELSE json_object('cluster', COALESCE(incidents.cluster, ''), 'kind', p.kind, 'namespace', p.ns, 'name', p.name)
    END))
  FROM (
    SELECT substr(j.value, 1, instr(j.value, '/') - 1) AS ns,
           substr(substr(j.value, instr(j.value, '/') + 1), 1, instr(substr(j.value, instr(j.value, '/') + 1), '/') - 1) AS kind,
           substr(substr(j.value, instr(j.value, '/') + 1), instr(substr(j.value, instr(j.value, '/') + 1), '/') + 1) AS name
    FROM json_each(incidents.resources) j WHERE j.type = 'text'
  ) p
) WHERE resources != '[]' AND json_type(resources, '$[0]') = 'text';

INSERT OR IGNORE INTO feishu_cards (card_key, chat_id, message_id, updated_at)
  SELECT substr(dedupe_key, 11), chat_id, feishu_message_id, created_at FROM outbox
  WHERE kind = 'send_card' AND dedupe_key LIKE 'send_card:%';
CREATE INDEX feishu_cards_message ON feishu_cards(message_id);

ALTER TABLE incidents DROP COLUMN card_message_id;
ALTER TABLE incidents DROP COLUMN card_key;
ALTER TABLE alert_storms DROP COLUMN counts;
`;
