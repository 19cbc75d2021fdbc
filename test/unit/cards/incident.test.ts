import { describe, expect, it } from 'vitest';
import { button } from '../../../src/cards/button.js';
import { renderIncidentCard } from '../../../src/cards/incident.js';
import { cardBytes } from '../../../src/cards/size.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { incidentView } from '../../../src/incidents/card-view.js';
import { acknowledge, resolve } from '../../../src/incidents/lifecycle.js';
import { alert, body, fixture, harness } from '../../helpers/alerts.js';

const opts = (h: ReturnType<typeof harness>) => ({ now: h.clock.now(), timezone: 'UTC' });

describe('incident card', () => {
  it('shows what is burning, who owns it and what to click', () => {
    const h = harness();
    const id = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
    const card = renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, opts(h));
    const text = JSON.stringify(card);
    expect((card.header as { template: string }).template).toBe('orange'); // P1
    expect(text).toContain('[P1] KubeDeploymentReplicasMismatch');
    expect(text).toContain('3 firing');
    expect(text).toContain('shop/deployment/checkout');
    expect(text).toContain('Deployment has unavailable replicas.');
    expect(text).toContain('Prometheus graph](http://vm:19090/graph?g0.expr=');
    expect(text).toContain('<at id=ou_alice></at>');
    for (const action of ['"action":"ack"', '"action":"silence"', '"action":"resolve"']) expect(text).toContain(action);
  });

  it('keeps a PromQL graph link whole: its parentheses and spaces are percent-encoded', () => {
    const h = harness();
    const a = alert(
      { alertname: 'KubePodCrashLooping', namespace: 'shop', deployment: 'checkout', severity: 'warning' },
      { generatorURL: 'http://prom:9090/graph?g0.expr=max_over_time(up[5m]) >= 1&g0.tab=1' },
    );
    const id = ingestWebhook(h, body([a]), '{}').incidents[0] as number;
    const text = JSON.stringify(renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, opts(h)));
    expect(text).toContain('(http://prom:9090/graph?g0.expr=max_over_time%28up[5m]%29%20%3E=%201&g0.tab=1)');
  });

  it('drops Ack once acknowledged and keeps room for extra buttons', () => {
    const h = harness();
    const id = ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), '{}').incidents[0] as number;
    acknowledge(h, id, 'ou_bob');
    const investigate = button({ text: 'Investigate', action: { action: 'investigate', incidentId: id } });
    const text = JSON.stringify(
      renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, { ...opts(h), extraButtons: [investigate] }),
    );
    expect(text).not.toContain('"action":"ack"');
    expect(text).toContain('"action":"investigate"');
    expect(text).toContain('**Acknowledged by** <at id=ou_bob></at>');
  });

  it('escapes alert text (no injected mention or markdown) and stays under 30 KB', () => {
    const h = harness();
    const hostile = alert(
      { alertname: 'Evil', namespace: 'shop', deployment: 'x', severity: 'warning' },
      { annotations: { summary: '<at id=all></at> **boom**', description: 'y'.repeat(60_000) } },
    );
    const id = ingestWebhook(h, body([hostile]), '{}').incidents[0] as number;
    const card = renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, opts(h));
    expect(JSON.stringify(card)).not.toContain('<at id=all>');
    expect(JSON.stringify(card)).not.toContain('**boom**');
    expect(cardBytes(card)).toBeLessThan(30 * 1024);
  });

  it('counts alerts by fingerprint and names a firing alert when the shared fixtures arrive together', () => {
    const h = harness();
    let id = 0;
    for (const name of [
      'firing-grouped-by-namespace-3-alerts',
      'firing-mixed-1-resolved-2-firing',
      'firing-single-KubePodCrashLooping',
      'resolved-single-KubeDeploymentReplicasMismatch',
    ]) {
      id = ingestWebhook(h, fixture(name), '{}').incidents[0] ?? id;
    }
    const text = JSON.stringify(renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, opts(h)));
    expect(text).toContain('2 firing · 1 resolved');
    expect(text).toContain('KubePodCrashLooping (1/1)');
    expect(text).toContain('KubeDeploymentReplicasMismatch (0/1)');
    // The incident opened on ReplicasMismatch, which has resolved since: the title names one still firing.
    expect(text).not.toContain('[P1] KubeDeploymentReplicasMismatch');
    expect(text).toMatch(/\[P1\] KubePod(CrashLooping|RestartingFrequently) · shop\/checkout/);
  });

  it('shows when the alerts really started, not when the bot first heard of them', () => {
    const h = harness();
    const weekAgo = new Date(h.clock.now() - 7 * 86_400_000).toISOString();
    const a = alert(
      { alertname: 'KubePodCrashLooping', namespace: 'shop', deployment: 'checkout', severity: 'warning' },
      { startsAt: weekAgo },
    );
    const id = ingestWebhook(h, body([a]), '{}').incidents[0] as number;
    const text = JSON.stringify(renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, opts(h)));
    expect(text).toContain(`**Since**: ${weekAgo.slice(0, 10)} ${weekAgo.slice(11, 16)} (7d ago)`);
  });

  it('a manually resolved card says who resolved it and that alerts still fire, with one "Alerts" line', () => {
    const h = harness();
    const id = ingestWebhook(h, fixture('firing-single-KubePodCrashLooping'), '{}').incidents[0] as number;
    resolve(h, id, 'ou_alice', 'rolled back');
    const text = JSON.stringify(renderIncidentCard(incidentView(h, h.store.incidents.get(id)!), h.t, opts(h)));
    expect(text).toContain('**Alerts**: resolved by <at id=ou_alice></at>; 1 still firing in Alertmanager');
    expect(text).not.toContain('1 firing');
    expect(text.match(/\*\*Alerts\*\*/g)).toHaveLength(1);
    expect(text).toContain('**Alert names**: KubePodCrashLooping (1/1)');
  });
});
