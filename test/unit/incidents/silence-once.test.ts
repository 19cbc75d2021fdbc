import { afterEach, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../../src/alertmanager/client.js';
import type { AppContext } from '../../../src/app/context.js';
import { type CardClick, Router } from '../../../src/app/router.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { registerIncidentActions } from '../../../src/incidents/card-actions.js';
import { checkSilences, silenceIncident } from '../../../src/incidents/silence.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { fixture, harness } from '../../helpers/alerts.js';
import { forClick as forClickAs } from '../../helpers/app-context.js';
import { FakeAlertmanager } from '../../helpers/fake-alertmanager.js';

let am: FakeAlertmanager | undefined;
afterEach(async () => {
  await am?.stop();
  am = undefined;
});

const HOUR = 3_600_000;

/** No `people` configured: anyone in the chat may press Silence. */
const forClick = (ctx: AppContext, c: CardClick) => ({
  ...forClickAs(ctx, c),
  actor: { openId: c.operatorOpenId, openAccess: true as const },
});

async function setup() {
  am = new FakeAlertmanager();
  const url = await am.start();
  const h = harness();
  const id = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
  return { h, id, client: new AlertmanagerClient(url), am };
}

/** Waits (in real time, briefly) until the fake Alertmanager has received `n` creations. */
async function received(am: FakeAlertmanager, n: number): Promise<void> {
  for (let i = 0; i < 200 && am.createRequests < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(am.createRequests).toBeGreaterThanOrEqual(n);
}

describe('silence is idempotent per incident', () => {
  it('two people at once against a slow Alertmanager create one set; the second is told who silenced it', async () => {
    const { h, id, client, am } = await setup();
    const release = am.holdCreates();
    const alice = silenceIncident(h, client, id, 'ou_alice', HOUR);
    const bob = silenceIncident(h, client, id, 'ou_bob', 2 * HOUR);
    await received(am, 1);
    await new Promise((r) => setTimeout(r, 20)); // give bob's call every chance to reach Alertmanager too
    expect(am.createRequests).toBe(1);
    release();
    const [a, b] = await Promise.all([alice, bob]);

    expect(a).toMatchObject({ ok: true });
    expect([...am.silences.values()]).toHaveLength(3);
    expect(new Set([...am.silences.values()].map((s) => s.createdBy))).toEqual(new Set(['ou_alice']));
    expect(b).toEqual({
      ok: false,
      reason: 'already_silenced',
      silenceIds: a.ok ? a.silenceIds : [],
      endsAt: a.ok ? a.endsAt : 0,
      createdBy: 'ou_alice',
    });
    expect(h.store.silences.byIncident(id)).toHaveLength(3);
    expect(h.store.timeline.list(id).filter((e) => e.kind === 'silenced')).toHaveLength(1);
  });

  it('a second click and an old copy of the card, through the button, answer with the existing silence', async () => {
    const { h, id, client, am } = await setup();
    const router = new Router();
    registerIncidentActions(router, h, client);
    h.store.cards.record(`incident:${id}`, 'oc_shop', 'om_1', h.clock.now());
    const ctx: AppContext = {
      config: h.config,
      log: h.log,
      store: h.store,
      clock: h.clock,
      metrics: new Metrics({ defaultMetrics: false }),
    };
    const click = (who: string): CardClick => ({
      operatorOpenId: who,
      messageId: 'om_1',
      chatId: 'oc_shop',
      token: 'tok',
      eventId: `ev_${who}`,
    });
    const first = await router.dispatchCardAction(
      { action: 'silence', incidentId: id, duration: '1h' },
      click('ou_alice'),
      forClick(ctx, click('ou_alice')),
    );
    expect(first.toast?.type).toBe('success');
    const again = await router.dispatchCardAction(
      { action: 'silence', incidentId: String(id), duration: '2h' },
      click('ou_bob'),
      forClick(ctx, click('ou_bob')),
    );
    const until = new Date(h.clock.now() + HOUR).toLocaleString('sv-SE', { timeZone: h.config.timezone }).slice(0, 16);
    expect(again.toast).toEqual({
      type: 'info',
      content: `Incident #${id} is already silenced until ${until} by ou_alice.`,
    });
    expect(JSON.stringify(again.card)).toContain('Silenced');
    expect(am.createRequests).toBe(3);
  });

  it('silences again once the set expired, was removed, or is past its end', async () => {
    const { h, id, client, am } = await setup();
    await silenceIncident(h, client, id, 'ou_alice', HOUR);
    am.expireAll();
    expect(await checkSilences(h, client)).toBe(3);
    expect(await silenceIncident(h, client, id, 'ou_bob', HOUR)).toMatchObject({ ok: true });
    expect(am.silences.size).toBe(6);
    // Past its end but not yet checked by the watcher: no longer in force, so a new set is made.
    await h.clock.advance(HOUR + 1);
    expect(await silenceIncident(h, client, id, 'ou_carol', HOUR)).toMatchObject({ ok: true });
    expect(am.silences.size).toBe(9);
  });

  it('when the first attempt fails, the one waiting behind it tries for itself', async () => {
    const { h, id, client, am } = await setup();
    const release = am.holdCreates();
    am.refuseNext = 1;
    const alice = silenceIncident(h, client, id, 'ou_alice', HOUR);
    const bob = silenceIncident(h, client, id, 'ou_bob', HOUR);
    await received(am, 1);
    release();
    const [a, b] = await Promise.all([alice, bob]);
    expect(a).toMatchObject({ ok: false, reason: 'failed' });
    expect(b).toMatchObject({ ok: true });
    expect([...am.silences.values()].map((s) => s.createdBy)).toEqual(['ou_bob', 'ou_bob', 'ou_bob']);
  });
});
