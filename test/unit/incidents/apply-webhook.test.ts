import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { acknowledge, resolve } from '../../../src/incidents/lifecycle.js';
import { alert, body, fixture, fixtureText, harness } from '../../helpers/alerts.js';

const cardText = (card: unknown) => JSON.stringify(card);

describe('ingestWebhook with the real Alertmanager fixtures', () => {
  it('keeps the raw body and every alert with its times and generator URL', () => {
    const h = harness();
    const raw = fixtureText('firing-single-KubePodCrashLooping');
    const { webhookId } = ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), raw);
    expect(h.store.alerts.webhookBody(webhookId)).toBe(raw);
    const a = h.store.alerts.latestByFingerprint('eb659671bde25b83');
    expect(a).toMatchObject({
      alertname: 'KubePodCrashLooping',
      status: 'firing',
      startsAt: '2026-11-25T12:07:42.347Z',
      endsAt: null,
      priority: 'P2',
    });
    expect(a?.generatorUrl).toMatch(/^http:\/\/vm:19090\/graph\?g0\.expr=/);
  });

  it('groups three alerts on one deployment into one incident with one card', () => {
    const h = harness();
    const r = ingestWebhook(
      h,
      fixture('firing-grouped-by-namespace-3-alerts'),
      fixtureText('firing-grouped-by-namespace-3-alerts'),
    );
    expect(r.incidents).toHaveLength(1);
    const inc = h.store.incidents.get(r.incidents[0] as number);
    // KubeDeploymentReplicasMismatch is critical; "shop" is not a production namespace → P1.
    expect(inc).toMatchObject({
      priority: 'P1',
      status: 'open',
      chatId: 'oc_shop',
      resources: [{ cluster: 'envprobe', kind: 'deployment', namespace: 'shop', name: 'checkout' }],
    });
    expect(h.store.alerts.byIncident(inc!.id)).toHaveLength(3);
    const sends = h.messages({ kind: 'send_card' });
    expect(sends).toHaveLength(1);
    // P1 mentions the on-call (open_id as given, email resolved) and nobody else.
    const text = cardText(sends[0]);
    expect(text).toContain('<at id=ou_alice></at>');
    expect(text).toContain('<at id=ou_bob></at>');
    expect(text).not.toContain('<at id=all>');
    expect(h.messages({ kind: 'urgent' })).toHaveLength(0);
  });

  it('patches the same card for a repeat, a join and a resolution — never a second message', () => {
    const h = harness();
    ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), '{}');
    ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), '{}'); // Alertmanager repeat
    const grouped = fixture('firing-grouped-by-namespace-3-alerts');
    ingestWebhook(h, grouped, '{}'); // the deployment's other alerts join
    expect(h.store.incidents.list()).toHaveLength(1);
    expect(h.messages({ kind: 'send_card' })).toHaveLength(1);
    const patches = h.messages({ kind: 'patch_card' });
    expect(patches.length).toBeGreaterThan(0);
    // Successive patches of one card coalesce: only the newest is still to be sent.
    expect(patches.filter((p) => p.status === 'pending')).toHaveLength(1);
    const inc = h.store.incidents.list()[0]!;
    // The grouped body carries a new firing episode of the crash loop (a later startsAt): the earlier one ended.
    const episodes = h.store.db
      .prepare(
        "SELECT status, receive_count AS n FROM alerts WHERE fingerprint = 'eb659671bde25b83' ORDER BY starts_at",
      )
      .all();
    expect(episodes).toEqual([
      { status: 'resolved', n: 2 },
      { status: 'firing', n: 1 },
    ]);
    expect(inc.priority).toBe('P1'); // the critical ReplicasMismatch raised it from P2
    expect(h.store.timeline.list(inc.id).map((e) => e.kind)).toEqual([
      'opened',
      'alerts_joined',
      'alerts_resolved',
      'priority_raised',
    ]);
  });

  it('resolves the incident when all of its alerts resolve, and the card says so', () => {
    const h = harness();
    const a1 = alert({
      alertname: 'KubePodCrashLooping',
      namespace: 'shop',
      pod: 'cart-5f7b9c8d4-x2x9q',
      severity: 'warning',
    });
    const a2 = alert({
      alertname: 'KubeDeploymentReplicasMismatch',
      namespace: 'shop',
      deployment: 'cart',
      severity: 'warning',
    });
    const r = ingestWebhook(h, body([a1, a2]), '{}');
    const id = r.incidents[0] as number;
    ingestWebhook(h, body([{ ...a1, status: 'resolved' }]), '{}');
    expect(h.store.incidents.get(id)?.status).toBe('open');
    ingestWebhook(h, body([{ ...a2, status: 'resolved' }]), '{}');
    const inc = h.store.incidents.get(id)!;
    expect(inc).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
    const last = h.messages({ kind: 'patch_card' }).at(-1)!;
    expect(last.kind === 'patch_card' && (last.card.header as { template: string }).template).toBe('green');
    expect(cardText(last)).toContain('Resolved');
    expect(cardText(last)).not.toContain('"action":"ack"');
    expect(h.store.timeline.list(id).map((e) => e.kind)).toContain('resolved');
  });

  it('tracks firing → resolved → firing again as two episodes of one fingerprint', () => {
    const h = harness();
    const labels = { alertname: 'KubeJobFailed', namespace: 'shop', job_name: 'nightly', severity: 'warning' };
    ingestWebhook(h, body([alert(labels, { fingerprint: 'f1' })]), '{}');
    ingestWebhook(h, body([alert(labels, { fingerprint: 'f1', status: 'resolved' })]), '{}');
    ingestWebhook(h, body([alert(labels, { fingerprint: 'f1', startsAt: '2026-11-25T09:00:00Z' })]), '{}');
    const rows = h.store.db.prepare("SELECT status FROM alerts WHERE fingerprint = 'f1' ORDER BY id").all();
    expect(rows).toEqual([{ status: 'resolved' }, { status: 'firing' }]);
    const incidents = h.store.incidents.list();
    expect(incidents.map((i) => i.status)).toEqual(['open', 'resolved']);
  });

  it('a late resend of a replaced episode does not fire again or hold the incident open', () => {
    const h = harness();
    const labels = { alertname: 'KubePodCrashLooping', namespace: 'shop', deployment: 'checkout', severity: 'warning' };
    const newer = { fingerprint: 'f1', startsAt: '2026-11-25T12:08:49Z' };
    const older = { fingerprint: 'f1', startsAt: '2026-11-25T12:07:42Z' };
    ingestWebhook(h, body([alert(labels, newer)]), '{}');
    ingestWebhook(h, body([alert(labels, older)]), '{}'); // resent late, after the newer episode
    ingestWebhook(h, body([alert(labels, { ...newer, status: 'resolved' })]), '{}');
    const rows = h.store.db
      .prepare("SELECT starts_at, status FROM alerts WHERE fingerprint = 'f1' ORDER BY starts_at")
      .all();
    expect(rows).toEqual([
      { starts_at: older.startsAt, status: 'resolved' },
      { starts_at: newer.startsAt, status: 'resolved' },
    ]);
    expect(h.store.incidents.list().map((i) => i.status)).toEqual(['resolved']);
  });

  it('records a P3 without any message', () => {
    const h = harness();
    const r = ingestWebhook(
      h,
      body([alert({ alertname: 'KubeQuotaAlmostFull', namespace: 'shop', severity: 'info' })]),
      '{}',
    );
    expect(h.store.incidents.get(r.incidents[0] as number)?.priority).toBe('P3');
    expect(h.messages()).toEqual([]);
  });

  it('pages a P0: card mentioning everyone (on-call as fallback) and an urgent phone call', () => {
    const h = harness();
    const r = ingestWebhook(
      h,
      body([
        alert({
          alertname: 'KubePersistentVolumeErrors',
          namespace: 'prod',
          severity: 'critical',
          persistentvolume: 'pv-1',
        }),
      ]),
      '{}',
    );
    const inc = h.store.incidents.get(r.incidents[0] as number)!;
    expect(inc.priority).toBe('P0');
    expect(inc.chatId).toBe('oc_default');
    const [send] = h.messages({ kind: 'send_card' });
    expect(cardText(send?.kind === 'send_card' && send.card)).toContain('<at id=all></at>');
    // No on-call for the default route here → the fallback mentions nobody but still omits @all.
    expect(cardText(send?.kind === 'send_card' && send.fallbackCard)).not.toContain('<at id=all>');
  });

  it('calls the route on-call urgently for a P0 and never twice', () => {
    const h = harness({
      yaml: `
routes:
  - match: ['namespace=~"prod|payments"']
    chat_id: oc_prod
    oncall: [ou_alice]
`,
    });
    const p0 = alert({ alertname: 'KubeAPIDown', namespace: 'payments', severity: 'critical', priority: 'P0' });
    ingestWebhook(h, body([p0]), '{}');
    ingestWebhook(h, body([p0]), '{}');
    const urgent = h.messages({ kind: 'urgent' });
    expect(urgent).toHaveLength(1);
    expect(urgent[0]).toMatchObject({ kind: 'urgent', mode: 'phone', openIds: ['ou_alice'], chatId: 'oc_prod' });
    const send = h.messages({ kind: 'send_card' })[0];
    expect(cardText(send?.kind === 'send_card' && send.fallbackCard)).toContain('<at id=ou_alice></at>');
  });

  it('treats Watchdog and InfoInhibitor as heartbeats, not incidents', () => {
    const h = harness();
    ingestWebhook(
      h,
      body([
        alert({ alertname: 'Watchdog', severity: 'none' }),
        alert({ alertname: 'InfoInhibitor', namespace: 'shop', severity: 'none' }),
      ]),
      '{}',
    );
    expect(h.store.incidents.list()).toEqual([]);
    expect(h.store.heartbeats.list().map((b) => b.name)).toEqual(['InfoInhibitor', 'Watchdog']);
    expect(h.store.alerts.count()).toBe(2);
  });

  it('records a resolution for an alert never seen firing without opening anything', () => {
    const h = harness();
    ingestWebhook(h, fixture('resolved-single-KubeDeploymentReplicasMismatch'), '{}');
    expect(h.store.alerts.count()).toBe(1);
    expect(h.store.incidents.list()).toEqual([]);
    expect(h.messages()).toEqual([]);
  });

  it('replays the mixed fixture: the resolved alert and the firing ones land on one incident', () => {
    const h = harness();
    ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), '{}');
    ingestWebhook(h, fixture('firing-mixed-1-resolved-2-firing'), '{}');
    const [inc] = h.store.incidents.list();
    expect(inc?.status).toBe('open');
    // The resolved ReplicasMismatch joined; the crash loop's new episode replaced the earlier one.
    expect(h.store.alerts.countByStatus(inc!.id)).toEqual({ firing: 2, resolved: 2 });
    expect(h.messages({ kind: 'send_card' })).toHaveLength(1);
  });
});

describe('lifecycle from the card', () => {
  it('acknowledges once with the actor, then resolves manually with a note', () => {
    const h = harness();
    const r = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}');
    const id = r.incidents[0] as number;
    h.clock.advance(60_000);
    expect(acknowledge(h, id, 'ou_alice')).toMatchObject({
      ok: true,
      incident: { status: 'acknowledged', ackedBy: 'ou_alice' },
    });
    expect(acknowledge(h, id, 'ou_bob')).toMatchObject({ ok: false, reason: 'already' });
    expect(resolve(h, id, 'ou_bob', 'rolled back to v41')).toMatchObject({
      ok: true,
      incident: { status: 'resolved', resolvedBy: 'ou_bob', resolveNote: 'rolled back to v41' },
    });
    expect(resolve(h, 999, 'ou_bob')).toEqual({ ok: false, reason: 'not_found' });
    const timeline = h.store.timeline.list(id).map((e) => [e.kind, e.actor]);
    expect(timeline).toEqual([
      ['opened', 'system'],
      ['alerts_joined', 'system'],
      ['acknowledged', 'ou_alice'],
      ['resolved', 'ou_bob'],
    ]);
    const last = JSON.stringify(h.messages({ kind: 'patch_card' }).at(-1));
    expect(last).toContain('rolled back to v41');
    expect(last).toContain('<at id=ou_bob></at>');
  });
});
