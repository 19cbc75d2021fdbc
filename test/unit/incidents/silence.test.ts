import { afterEach, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../../src/alertmanager/client.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { checkSilences, silenceIncident } from '../../../src/incidents/silence.js';
import { fixture, harness } from '../../helpers/alerts.js';
import { FakeAlertmanager } from '../../helpers/fake-alertmanager.js';

let am: FakeAlertmanager | undefined;
afterEach(async () => {
  await am?.stop();
  am = undefined;
});

async function setup() {
  am = new FakeAlertmanager();
  const url = await am.start();
  const h = harness();
  const id = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
  return { h, id, client: new AlertmanagerClient(url), am };
}

describe('silence from the card', () => {
  it('creates real silences matching the incident, by the clicker, shown on the card', async () => {
    const { h, id, client, am } = await setup();
    const r = await silenceIncident(h, client, id, 'ou_alice', 3_600_000);
    expect(r.ok).toBe(true);
    const created = [...am.silences.values()];
    expect(created).toHaveLength(3); // one per alert name on the workload
    for (const s of created) {
      expect(s.createdBy).toBe('ou_alice');
      expect(Date.parse(s.endsAt) - Date.parse(s.startsAt)).toBe(3_600_000);
      expect(s.matchers).toContainEqual({ name: 'namespace', value: 'shop', isRegex: false, isEqual: true });
      expect(s.matchers).toContainEqual({ name: 'cluster', value: 'envprobe', isRegex: false, isEqual: true });
    }
    const crash = created.find((s) => s.matchers.some((m) => m.value === 'KubePodCrashLooping'));
    expect(crash?.matchers).toContainEqual({ name: 'pod', value: 'checkout-.+', isRegex: true, isEqual: true });
    const last = JSON.stringify(h.messages({ kind: 'patch_card' }).at(-1));
    expect(last).toContain('Silenced');
    expect(last).toContain('<at id=ou_alice></at>');
    expect(last).not.toContain('"action":"silence"');
    expect(h.store.timeline.list(id).map((e) => [e.kind, e.actor])).toContainEqual(['silenced', 'ou_alice']);
  });

  it('notices a silence removed in Alertmanager and one that expired', async () => {
    const { h, id, client, am } = await setup();
    await silenceIncident(h, client, id, 'ou_alice', 3_600_000);
    expect(await checkSilences(h, client)).toBe(0);
    const [first] = [...am.silences.keys()];
    am.silences.delete(first as string);
    expect(await checkSilences(h, client)).toBe(1);
    expect(h.store.silences.byIncident(id).map((s) => s.state)).toEqual(['removed', 'active', 'active']);
    am.expireAll();
    expect(await checkSilences(h, client)).toBe(2);
    const last = JSON.stringify(h.messages({ kind: 'patch_card' }).at(-1));
    expect(last).toMatch(/expired|was removed/);
    expect(last).toContain('"action":"silence"'); // can be silenced again
  });

  it('reports a refusal and an unconfigured Alertmanager without changing anything', async () => {
    const { h, id, client, am } = await setup();
    am.refuse = 'bad matchers';
    const r = await silenceIncident(h, client, id, 'ou_alice', 3_600_000);
    expect(r).toMatchObject({ ok: false, reason: 'failed' });
    expect(r.ok === false && r.reason === 'failed' && r.message).toMatch(/400.*bad matchers/);
    expect(await silenceIncident(h, undefined, id, 'ou_alice', 1000)).toEqual({ ok: false, reason: 'unavailable' });
    expect(h.store.silences.byIncident(id)).toEqual([]);
  });
});
