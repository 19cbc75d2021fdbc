import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { AlertingServices } from '../../../src/incidents/background.js';
import { EscalationScheduler } from '../../../src/incidents/escalation.js';
import { acknowledge } from '../../../src/incidents/lifecycle.js';
import { Store } from '../../../src/store/index.js';
import { alert, body, harness } from '../../helpers/alerts.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const critical = alert({
  alertname: 'KubeDeploymentReplicasMismatch',
  namespace: 'shop',
  deployment: 'cart',
  severity: 'critical',
});

function withScheduler(h: ReturnType<typeof harness>) {
  const scheduler = new EscalationScheduler(h);
  scheduler.start();
  return scheduler;
}

describe('escalation', () => {
  it('re-notifies an un-acked P1 on schedule: urgent app, phone to the secondary, then the group', async () => {
    const h = harness();
    const scheduler = withScheduler(h);
    const id = ingestWebhook(h, body([critical]), '{}').incidents[0] as number;
    await h.clock.advance(4 * 60_000);
    expect(h.messages({ kind: 'urgent' })).toEqual([]);
    await h.clock.advance(60_000);
    expect(h.messages({ kind: 'urgent' })).toMatchObject([{ mode: 'app', openIds: ['ou_alice', 'ou_bob'] }]);
    await h.clock.advance(10 * 60_000);
    expect(h.messages({ kind: 'urgent' })[1]).toMatchObject({ mode: 'phone', openIds: ['ou_carol'] });
    await h.clock.advance(15 * 60_000);
    const group = h.messages({ kind: 'send_text' });
    expect(group).toHaveLength(1);
    expect(JSON.stringify(group[0])).toContain('<at user_id=\\"all\\"></at>');
    expect(h.store.timeline.list(id).filter((e) => e.kind === 'escalated')).toHaveLength(3);
    await h.clock.advance(60 * 60_000);
    expect(h.messages({ kind: 'urgent' })).toHaveLength(2);
    scheduler.stop();
  });

  it('stops when the incident is acknowledged', async () => {
    const h = harness();
    const scheduler = withScheduler(h);
    const id = ingestWebhook(h, body([critical]), '{}').incidents[0] as number;
    await h.clock.advance(5 * 60_000);
    expect(h.messages({ kind: 'urgent' })).toHaveLength(1);
    acknowledge(h, id, 'ou_alice');
    await h.clock.advance(60 * 60_000);
    expect(h.messages({ kind: 'urgent' })).toHaveLength(1);
    expect(h.messages({ kind: 'send_text' })).toEqual([]);
    expect(h.store.escalations.get(id)?.status).toBe('stopped');
    expect(h.clock.pendingTimers()).toBe(0);
    scheduler.stop();
  });

  it('does not escalate P2 incidents', async () => {
    const h = harness();
    withScheduler(h);
    ingestWebhook(h, body([{ ...critical, labels: { ...critical.labels, severity: 'warning' } }]), '{}');
    await h.clock.advance(60 * 60_000);
    expect(h.messages({ kind: 'urgent' })).toEqual([]);
  });

  it('survives a restart: the pending step runs once after it, none is lost or repeated', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nanobot-esc-')), 'db.sqlite');
    const clock = new FakeClock();
    const h1 = harness({ store: Store.open(path), clock });
    const s1 = withScheduler(h1);
    ingestWebhook(h1, body([critical]), '{}');
    await clock.advance(6 * 60_000); // step 1 ran
    s1.stop();
    h1.store.close();

    await clock.advance(20 * 60_000); // down while step 2 fell due
    const h2 = harness({ store: Store.open(path), clock });
    withScheduler(h2);
    await clock.advance(0);
    const urgent = h2.messages({ kind: 'urgent' });
    expect(urgent.map((u) => u.kind === 'urgent' && u.mode)).toEqual(['app', 'phone']);
    await clock.advance(10 * 60_000);
    expect(h2.messages({ kind: 'send_text' })).toHaveLength(1);
    h2.store.close();
  });
});

describe('coalesced card patches', () => {
  it('patches a repeated card once after the delay, and a restart keeps the pending patch', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nanobot-refresh-')), 'db.sqlite');
    const clock = new FakeClock();
    const yaml = `
card_refresh_delay: 2s
routes:
  - match: ['namespace="shop"']
    chat_id: oc_shop
`;
    const h1 = harness({ store: Store.open(path), clock, yaml });
    const services1 = new AlertingServices(h1, undefined);
    services1.start();
    const warn = alert({
      alertname: 'KubePodNotReady',
      namespace: 'shop',
      pod: 'web-5f7b9c8d4-x2x9q',
      severity: 'warning',
    });
    ingestWebhook(h1, body([warn]), '{}');
    for (let i = 0; i < 5; i++) ingestWebhook(h1, body([warn]), '{}'); // Alertmanager repeats
    expect(h1.messages({ kind: 'send_card' })).toHaveLength(1);
    expect(h1.messages({ kind: 'patch_card' })).toHaveLength(0);
    await services1.stop();
    h1.store.close();

    const h2 = harness({ store: Store.open(path), clock, yaml });
    const services2 = new AlertingServices(h2, undefined);
    services2.start();
    await clock.advance(2_000);
    expect(h2.messages({ kind: 'patch_card' })).toHaveLength(1);
    await clock.advance(10_000);
    expect(h2.messages({ kind: 'patch_card' })).toHaveLength(1);
    await services2.stop();
    h2.store.close();
  });
});
