import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { incidentCardMessageId, incidentsOfCardMessage } from '../../../src/incidents/publish.js';
import { fixture, harness } from '../../helpers/alerts.js';

describe('which card shows which incident', () => {
  it('answers both ways once the card was sent, and nothing for a foreign message', () => {
    const h = harness();
    const id = ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), '{}').incidents[0] as number;
    expect(incidentCardMessageId(h.store, id)).toBeUndefined(); // queued, not sent yet
    h.store.cards.record(`incident:${id}`, 'oc_shop', 'om_card', h.clock.now());
    expect(incidentCardMessageId(h.store, id)).toBe('om_card');
    expect(incidentsOfCardMessage(h.store, 'om_card')).toEqual([id]);
    expect(incidentsOfCardMessage(h.store, 'om_other')).toEqual([]);
  });
});
