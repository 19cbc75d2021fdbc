import { afterEach, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../../src/alertmanager/client.js';
import type { AppContext } from '../../../src/app/context.js';
import { type CardClick, Router } from '../../../src/app/router.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { registerIncidentActions } from '../../../src/incidents/card-actions.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { fixture, harness } from '../../helpers/alerts.js';
import { forClick as forClickAs } from '../../helpers/app-context.js';
import { FakeAlertmanager } from '../../helpers/fake-alertmanager.js';

let am: FakeAlertmanager | undefined;
afterEach(async () => {
  await am?.stop();
});

const click = (who: string): CardClick => ({
  operatorOpenId: who,
  messageId: 'om_1',
  chatId: 'oc_shop',
  token: 'tok',
  eventId: `ev_${who}_${Math.random()}`,
});

async function setup() {
  am = new FakeAlertmanager();
  const url = await am.start();
  const h = harness();
  const router = new Router();
  registerIncidentActions(router, h, new AlertmanagerClient(url));
  const ctx: AppContext = {
    config: h.config,
    log: h.log,
    store: h.store,
    clock: h.clock,
    metrics: new Metrics({ defaultMetrics: false }),
  };
  const id = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
  h.store.cards.record(`incident:${id}`, 'oc_shop', 'om_1', h.clock.now());
  return { h, router, ctx, id };
}

/** No `people` configured: anyone in the chat may press the incident buttons. */
const forClick = (ctx: AppContext, c: CardClick) => ({
  ...forClickAs(ctx, c),
  actor: { openId: c.operatorOpenId, openAccess: true as const },
});

describe('incident card buttons', () => {
  it('Ack answers with a toast and the updated card; a second click is told who acked', async () => {
    const { h, router, ctx, id } = await setup();
    const r = await router.dispatchCardAction(
      { action: 'ack', incidentId: id },
      click('ou_alice'),
      forClick(ctx, click('ou_alice')),
    );
    expect(r.toast).toEqual({ type: 'success', content: `Incident #${id} acknowledged.` });
    expect(JSON.stringify(r.card)).toContain('Acknowledged by');
    expect(JSON.stringify(r.card)).not.toContain('"action":"ack"');
    const again = await router.dispatchCardAction(
      { action: 'ack', incidentId: id },
      click('ou_bob'),
      forClick(ctx, click('ou_bob')),
    );
    expect(again.toast?.content).toMatch(/already acknowledged by ou_alice/);
    expect(h.store.timeline.list(id).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('Resolve closes the incident once, with the clicker', async () => {
    const { h, router, ctx, id } = await setup();
    const r = await router.dispatchCardAction(
      { action: 'resolve', incidentId: id, note: 'fixed' },
      click('ou_bob'),
      forClick(ctx, click('ou_bob')),
    );
    expect(r.toast?.type).toBe('success');
    expect(h.store.incidents.get(id)).toMatchObject({ status: 'resolved', resolvedBy: 'ou_bob', resolveNote: 'fixed' });
    const again = await router.dispatchCardAction(
      { action: 'resolve', incidentId: id },
      click('ou_bob'),
      forClick(ctx, click('ou_bob')),
    );
    expect(again.toast?.type).toBe('info');
    const missing = await router.dispatchCardAction(
      { action: 'resolve', incidentId: 9999 },
      click('ou_bob'),
      forClick(ctx, click('ou_bob')),
    );
    expect(missing.toast).toEqual({
      type: 'error',
      content: 'This card does not show incident #9999, so nothing was changed.',
    });
  });

  it('Silence 1h creates the Alertmanager silences as the clicker', async () => {
    const { router, ctx, id } = await setup();
    const r = await router.dispatchCardAction(
      { action: 'silence', incidentId: id, duration: '1h' },
      click('ou_carol'),
      forClick(ctx, click('ou_carol')),
    );
    expect(r.toast).toEqual({ type: 'success', content: 'Silenced for 1h in Alertmanager.' });
    expect([...(am?.silences.values() ?? [])].every((s) => s.createdBy === 'ou_carol')).toBe(true);
    const bad = await router.dispatchCardAction(
      { action: 'silence', incidentId: id, duration: 'forever' },
      click('ou_carol'),
      forClick(ctx, click('ou_carol')),
    );
    expect(bad.toast?.type).toBe('error');
  });

  it('refuses a click that carries no operator id, even with no people configured, and audits it', async () => {
    const { h, router, ctx, id } = await setup();
    const r = await router.dispatchCardAction({ action: 'ack', incidentId: id }, click(''), forClick(ctx, click('')));
    expect(r.toast).toEqual({ type: 'error', content: 'Feishu did not say who clicked, so nothing was changed.' });
    expect(r.card).toBeUndefined();
    expect(h.store.incidents.get(id)?.status).toBe('open');
    expect(h.store.audit.list({ action: 'incident.ack' })[0]).toMatchObject({
      actor: '(none)',
      decision: 'denied',
      detail: { permission: 'incident.ack', reason: 'no_identity' },
    });
  });
});
