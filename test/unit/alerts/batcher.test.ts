import { describe, expect, it } from 'vitest';
import { AlertRouter } from '../../../src/alerts/grading.js';
import { IngestBatcher } from '../../../src/alerts/ingest.js';
import { alert, body, harness } from '../../helpers/alerts.js';

class ExplodingRouter extends AlertRouter {
  override decide(labels: Record<string, string>) {
    if (labels.alertname === 'Boom') throw new Error('boom');
    return super.decide(labels);
  }
}

describe('IngestBatcher (group commit)', () => {
  it('commits bodies that arrive together in one transaction; a failing body fails alone', async () => {
    const h = harness();
    h.router = new ExplodingRouter(h.config.file, 'oc_default');
    let changed = 0;
    h.changed = () => changed++;
    const batcher = new IngestBatcher(h);
    const good1 = batcher.submit(
      body([alert({ alertname: 'A', namespace: 'shop', deployment: 'a', severity: 'warning' })]),
      '{"a":1}',
    );
    const bad = batcher.submit(
      body([
        alert({ alertname: 'B', namespace: 'shop', deployment: 'b', severity: 'warning' }),
        alert({ alertname: 'Boom', namespace: 'shop', deployment: 'c', severity: 'warning' }),
      ]),
      '{"bad":1}',
    );
    const good2 = batcher.submit(
      body([alert({ alertname: 'C', namespace: 'shop', deployment: 'd', severity: 'warning' })]),
      '{"c":1}',
    );
    await expect(good1).resolves.toMatchObject({ alerts: 1 });
    await expect(bad).rejects.toThrow('boom');
    await expect(good2).resolves.toMatchObject({ alerts: 1 });
    // Nothing of the failed body remains: not its raw body, not its first alert.
    const bodies = (h.store.db.prepare('SELECT body FROM alert_webhooks ORDER BY id').all() as { body: string }[]).map(
      (r) => r.body,
    );
    expect(bodies).toEqual(['{"a":1}', '{"c":1}']);
    expect(h.store.alerts.count()).toBe(2);
    expect(h.store.incidents.list()).toHaveLength(2);
    expect(changed).toBe(1); // one wake-up for the whole batch
  });
});
