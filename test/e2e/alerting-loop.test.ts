import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, skipReason, startE2E, WATCHDOG_TIMEOUT_S } from './harness.js';

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}
interface AmSilence {
  id: string;
  createdBy: string;
  matchers: { name: string; value: string }[];
  status: { state: string };
}

const about = (ns: string, workload: string) => (labels: Record<string, string>) =>
  labels.namespace === ns && (labels.pod ?? labels.deployment ?? '').startsWith(workload);

describe.skipIf(skipReason !== undefined)('real Prometheus + Alertmanager → bot → Feishu', { timeout: 180_000 }, () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 60_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  it('bad image → pods fail → Prometheus fires → Alertmanager sends → one P2 card; a second alert joins; healing resolves it', async () => {
    const checkout = about('shop', 'checkout');
    e2e.sandbox.breakMenu.breakIt('image-pull', { namespace: 'shop', deployment: 'checkout' });

    const first = await e2e.until('Alertmanager to notify a firing checkout alert', () =>
      e2e.notifications().find((n) => n.body.alerts.some((a) => a.status === 'firing' && checkout(a.labels))),
    );
    expect(first.status).toBe(200);
    expect(first.body.version).toBe('4');
    const sent = first.body.alerts.find((a) => checkout(a.labels));
    expect(sent?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(sent?.labels).toMatchObject({ cluster: 'sandbox', job: 'kube-state-metrics', severity: 'warning' });
    expect(sent?.annotations.runbook_url).toMatch(/^https:\/\/runbooks\.prometheus-operator\.dev\//);
    // The card's graph link is the real Prometheus's own generatorURL.
    expect(sent?.generatorURL.startsWith(`${e2e.sandbox.alerting?.prometheusUrl}/graph`)).toBe(true);

    const card = await e2e.card('one P2 incident card for shop/checkout', (c) => c.includes('· shop/checkout'));
    expect(card.content).toContain('[P2]');
    expect(card.content).toContain(e2e.sandbox.alerting?.prometheusUrl);

    // KubePodNotReady fires first (5 s); KubeContainerWaiting (20 s) joins the same incident on the same card.
    const joined = await e2e.card(
      'KubeContainerWaiting to join the checkout incident',
      (c) => c.includes('· shop/checkout') && c.includes('KubeContainerWaiting') && c.includes('KubePodNotReady'),
    );
    expect(joined.messageId).toBe(card.messageId);
    expect(
      e2e.cards().filter((m) => e2e.sandbox.feishu.message(m.messageId)?.content.includes('shop/checkout')),
    ).toHaveLength(1);

    e2e.sandbox.breakMenu.heal();
    const resolvedAt = await e2e.until('Alertmanager to send the resolved checkout alerts', () =>
      e2e.notifications().find((n) => n.body.alerts.some((a) => a.status === 'resolved' && checkout(a.labels))),
    );
    expect(resolvedAt.status).toBe(200);
    const resolved = await e2e.card(
      'the checkout card to show the incident resolved',
      (c) => c.includes('· shop/checkout') && c.includes('"Resolved"') && c.includes('0 firing'),
      90_000,
    );
    expect(resolved.messageId).toBe(card.messageId);
  });

  it('Silence on the card creates a real Alertmanager silence, and the alert stops notifying', async () => {
    const cart = about('shop', 'cart');
    e2e.sandbox.breakMenu.breakIt('crashloop', { namespace: 'shop', deployment: 'cart' });
    // Both alerts of the crash loop have joined before the click: a silence covers the alerts it was made for.
    const card = await e2e.card(
      'the cart incident card with both alerts',
      (c) => c.includes('· shop/cart') && c.includes('KubePodCrashLooping') && c.includes('KubePodNotReady'),
      90_000,
    );

    const click = await e2e.click(card, 'silence');
    expect(click.status).toBe(200);
    expect(click.toast?.type).toBe('success');
    const silences = await e2e.alertmanager<AmSilence[]>('/api/v2/silences');
    const ours = silences.filter(
      (s) => s.status.state === 'active' && s.matchers.some((m) => m.name === 'namespace' && m.value === 'shop'),
    );
    expect(ours.length).toBeGreaterThan(0);

    // Alertmanager itself now marks every cart alert suppressed by those silences.
    await e2e.until('Alertmanager to suppress the cart alerts', async () => {
      const alerts = (await e2e.alertmanager<AmAlert[]>('/api/v2/alerts')).filter((a) => cart(a.labels));
      return alerts.length > 0 && alerts.every((a) => a.status.state === 'suppressed') ? alerts : undefined;
    });
    const mark = e2e.notifications().length;
    // Two repeat cycles of the Watchdog prove time passed in Alertmanager; no cart alert was sent meanwhile.
    await e2e.until('two Watchdog repeats', () =>
      e2e
        .notifications()
        .slice(mark)
        .filter((n) => n.body.commonLabels.alertname === 'Watchdog').length >= 2
        ? true
        : undefined,
    );
    const after = e2e.notifications().slice(mark);
    expect(after.filter((n) => n.body.alerts.some((a) => a.status === 'firing' && cart(a.labels)))).toEqual([]);
    e2e.sandbox.breakMenu.heal();
  });

  it('Watchdog stopping raises "alerting pipeline down"; its return closes it', async () => {
    const now = Date.now();
    const res = await fetch(`${e2e.sandbox.alerting?.alertmanagerUrl}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: true }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'e2e',
        comment: 'the Watchdog goes quiet',
      }),
    });
    expect(res.status).toBe(200);
    const { silenceID } = (await res.json()) as { silenceID: string };
    const down = await e2e.card(
      'the alerting-pipeline-down card',
      (c) => c.includes('Alerting pipeline is down'),
      (WATCHDOG_TIMEOUT_S + 30) * 1000,
    );
    expect(down.content).toContain('[P1]');
    expect(
      (await fetch(`${e2e.sandbox.alerting?.alertmanagerUrl}/api/v2/silence/${silenceID}`, { method: 'DELETE' }))
        .status,
    ).toBe(200);
    await e2e.card(
      'the pipeline-down incident to close when the Watchdog is back',
      (c) => c.includes('Alerting pipeline is down') && c.includes('"Resolved"'),
    );
  });
});
