/** From webhook to Feishu calls, through the real outbox worker and a fake Feishu. */
import { describe, expect, it } from 'vitest';
import { FeishuApiError } from '../../../src/feishu/errors.js';
import { OutboxWorker } from '../../../src/feishu/outbox-worker.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { silentLogger } from '../../../src/shared/log.js';
import { alert, body, harness } from '../../helpers/alerts.js';
import { FakeFeishu } from '../../helpers/fake-feishu.js';

const YAML = `
card_refresh_delay: 0
routes:
  - match: ['namespace="payments"']
    chat_id: oc_pay
    oncall: [ou_alice]
`;

async function drain(worker: OutboxWorker, h: ReturnType<typeof harness>) {
  for (let i = 0; i < 50 && h.store.outbox.countByStatus().pending > 0; i++) {
    await worker.tick();
    await h.clock.advance(250);
  }
}

describe('P0 through the outbox worker', () => {
  it('sends the card with @all, then phones the on-call about that same card', async () => {
    const h = harness({ yaml: YAML });
    const feishu = new FakeFeishu(() => h.clock.now());
    const worker = new OutboxWorker({ store: h.store, feishu, clock: h.clock, log: silentLogger(), random: () => 0.5 });
    ingestWebhook(
      h,
      body([alert({ alertname: 'KubeAPIDown', namespace: 'payments', severity: 'critical', priority: 'P0' })]),
      '{}',
    );
    await drain(worker, h);
    expect(feishu.calls.map((c) => c.op)).toEqual(['sendCard', 'urgent_phone']);
    expect(JSON.stringify(feishu.calls[0]?.card)).toContain('<at id=all></at>');
    expect(feishu.calls[1]?.messageId).toBe('om_fake_1');
  });

  it('falls back to mentioning the on-call when the group refuses @all', async () => {
    const h = harness({ yaml: YAML });
    const feishu = new FakeFeishu(() => h.clock.now());
    feishu.failNext.push(new FeishuApiError('send_card', 'no permission to @all', 230027, 400, undefined));
    const worker = new OutboxWorker({ store: h.store, feishu, clock: h.clock, log: silentLogger(), random: () => 0.5 });
    ingestWebhook(
      h,
      body([alert({ alertname: 'KubeAPIDown', namespace: 'payments', severity: 'critical', priority: 'P0' })]),
      '{}',
    );
    await drain(worker, h);
    expect(feishu.calls.map((c) => c.op)).toEqual(['sendCard', 'urgent_phone']);
    const sent = JSON.stringify(feishu.calls[0]?.card);
    expect(sent).not.toContain('<at id=all>');
    expect(sent).toContain('<at id=ou_alice></at>');
  });

  it('a repeat patches the card that was sent; nothing new is posted', async () => {
    const h = harness({ yaml: YAML });
    const feishu = new FakeFeishu(() => h.clock.now());
    const worker = new OutboxWorker({ store: h.store, feishu, clock: h.clock, log: silentLogger(), random: () => 0.5 });
    const warn = alert({
      alertname: 'KubePodNotReady',
      namespace: 'payments',
      pod: 'pay-5f7b9c8d4-x2x9q',
      severity: 'warning',
    });
    ingestWebhook(h, body([warn]), '{}');
    await drain(worker, h);
    ingestWebhook(h, body([warn]), '{}');
    ingestWebhook(h, body([warn]), '{}');
    await drain(worker, h);
    expect(feishu.calls.map((c) => c.op)).toEqual(['sendCard', 'patchCard']);
    expect(feishu.calls[1]?.messageId).toBe('om_fake_1');
  });
});
