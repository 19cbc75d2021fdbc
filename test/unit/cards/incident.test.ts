import { describe, expect, it } from 'vitest';
import { button } from '../../../src/cards/button.js';
import { renderIncidentCard } from '../../../src/cards/incident.js';
import { cardBytes } from '../../../src/cards/size.js';
import { ingestWebhook } from '../../../src/incidents/apply-webhook.js';
import { incidentView } from '../../../src/incidents/card-view.js';
import { acknowledge } from '../../../src/incidents/lifecycle.js';
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
});
