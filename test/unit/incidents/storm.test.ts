import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { alert, body, harness } from '../../helpers/alerts.js';

const YAML = `
storm: { max_cards: 3, window: 1m, quiet: 5m }
card_refresh_delay: 0
`;

const crash = (i: number, pod = 'x2x9q') =>
  alert({ alertname: 'KubePodCrashLooping', namespace: 'web', pod: `app${i}-5f7b9c8d4-${pod}`, severity: 'warning' });

describe('storm control', () => {
  it('folds incidents beyond the chat budget into one storm card, storing everything', async () => {
    const h = harness({ yaml: YAML });
    for (let i = 0; i < 10; i++) ingestWebhook(h, body([crash(i)]), '{}');
    expect(h.store.incidents.list()).toHaveLength(10);
    const sends = h.messages({ kind: 'send_card' });
    expect(sends).toHaveLength(4); // three incident cards, then one storm card
    const storm = sends[3];
    expect(storm?.kind === 'send_card' && storm.cardKey).toMatch(/^storm:/);
    const last = JSON.stringify(h.messages({ kind: 'patch_card' }).at(-1));
    expect(last).toContain('Alert storm: 7 incidents');
    expect(last).toContain('| KubePodCrashLooping | web | 7 | 0 |');

    // More alerts for stormed incidents patch the storm card; no new message.
    ingestWebhook(h, body([crash(9, 'bbbbb'), crash(8, 'bbbbb')]), '{}');
    expect(h.messages({ kind: 'send_card' })).toHaveLength(4);
    expect(JSON.stringify(h.messages({ kind: 'patch_card', status: 'pending' }).at(-1))).toContain('| 9 | 0 |');

    // After a quiet period and outside the window, a new incident gets its own card again.
    await h.clock.advance(6 * 60_000);
    ingestWebhook(h, body([crash(42)]), '{}');
    const after = h.messages({ kind: 'send_card' });
    expect(after).toHaveLength(5);
    expect(after[4]?.kind === 'send_card' && after[4].cardKey).toMatch(/^incident:/);
  });
});
