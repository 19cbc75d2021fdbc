import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashLoopingAlert, fingerprint, webhookBody } from '../../../../src/sandbox/demo/alertmanager.js';

const fixture = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../../../fixtures/alertmanager/firing-single-KubePodCrashLooping.json'),
    'utf8',
  ),
);

describe('Alertmanager webhook bodies', () => {
  it('fingerprints a label set exactly as Alertmanager does', () => {
    const [alert] = fixture.alerts;
    expect(fingerprint(alert.labels)).toBe(alert.fingerprint);
    expect(fingerprint({ ...alert.labels, pod: 'other' })).not.toBe(alert.fingerprint);
  });

  it('builds a KubePodCrashLooping webhook shaped like the one a real Alertmanager sent', () => {
    const [real] = fixture.alerts;
    const startsAt = new Date(real.startsAt);
    const alert = crashLoopingAlert({
      namespace: real.labels.namespace,
      pod: real.labels.pod,
      container: real.labels.container,
      cluster: real.labels.cluster,
      startsAt,
    });
    // The real alert also carries the scrape target's instance and the pod's uid.
    alert.labels.instance = real.labels.instance;
    alert.labels.uid = real.labels.uid;
    const body = webhookBody([alert], { groupBy: ['alertname', 'namespace'], receiver: 'webhook' });
    expect(Object.keys(body).sort()).toEqual(Object.keys(fixture).sort());
    expect(body).toMatchObject({
      receiver: 'webhook',
      status: 'firing',
      version: '4',
      groupKey: fixture.groupKey,
      groupLabels: fixture.groupLabels,
      commonLabels: fixture.commonLabels,
      truncatedAlerts: 0,
    });
    expect(body.alerts[0]).toMatchObject({
      status: 'firing',
      labels: real.labels,
      startsAt: real.startsAt,
      endsAt: real.endsAt,
      fingerprint: real.fingerprint,
    });
    expect(Object.keys(body.alerts[0] ?? {}).sort()).toEqual(Object.keys(real).sort());
    expect(body.alerts[0]?.annotations.summary).toBe(real.annotations.summary);
    expect(body.alerts[0]?.annotations.runbook_url).toBe(real.annotations.runbook_url);
  });

  it('keeps only the labels all alerts share and marks a fully resolved group resolved', () => {
    const a = crashLoopingAlert({ namespace: 'shop', pod: 'checkout-1', container: 'checkout', startsAt: new Date(0) });
    const b = crashLoopingAlert({
      namespace: 'shop',
      pod: 'checkout-2',
      container: 'checkout',
      startsAt: new Date(0),
      status: 'resolved',
      endsAt: new Date(60_000),
    });
    const mixed = webhookBody([a, b], { groupBy: ['namespace'] });
    expect(mixed.status).toBe('firing');
    expect(mixed.commonLabels.pod).toBeUndefined();
    expect(mixed.commonLabels.namespace).toBe('shop');
    expect(mixed.groupKey).toBe('{}:{namespace="shop"}');
    expect(mixed.alerts[1]?.endsAt).toBe('1970-01-01T00:01:00.000Z');
    const resolved = webhookBody([{ ...a, status: 'resolved' }], { groupBy: ['namespace'] });
    expect(resolved.status).toBe('resolved');
  });
});
