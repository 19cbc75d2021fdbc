import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { WatchdogMonitor } from '../../../src/incidents/watchdog.js';
import { alert, body, harness } from '../../helpers/alerts.js';

const watchdog = alert({ alertname: 'Watchdog', severity: 'none' });

describe('Watchdog heartbeat', () => {
  it('opens a P1 "alerting pipeline is down" when the Watchdog goes missing, and closes it when it is back', async () => {
    const h = harness();
    const monitor = new WatchdogMonitor(h);
    monitor.start();
    await h.clock.advance(60 * 60_000);
    expect(h.store.incidents.list()).toEqual([]); // never seen: nothing to miss

    ingestWebhook(h, body([watchdog]), '{}');
    await h.clock.advance(5 * 60_000);
    ingestWebhook(h, body([watchdog]), '{}');
    await h.clock.advance(9 * 60_000);
    expect(h.store.incidents.list()).toEqual([]);
    await h.clock.advance(3 * 60_000);
    const [down] = h.store.incidents.list();
    expect(down).toMatchObject({ priority: 'P1', status: 'open', chatId: 'oc_default' });
    expect(down?.title).toMatch(/Alerting pipeline is down/);
    expect(h.messages({ kind: 'send_card' })).toHaveLength(1);
    await h.clock.advance(30 * 60_000);
    expect(h.store.incidents.list()).toHaveLength(1); // one incident, however long it lasts

    ingestWebhook(h, body([watchdog]), '{}');
    expect(h.store.incidents.get(down!.id)?.status).toBe('resolved');
    monitor.stop();
  });
});
