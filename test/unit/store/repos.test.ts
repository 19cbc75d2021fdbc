import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertInput } from '../../../src/alerts/model.js';
import { Store } from '../../../src/store/index.js';

const T0 = Date.parse('2026-11-25T08:00:00Z');
let store: Store;
beforeEach(() => {
  store = Store.open(':memory:');
});

const alert = (over: Partial<AlertInput> = {}): AlertInput => ({
  fingerprint: 'eb659671bde25b83',
  startsAt: '2026-11-25T12:07:42.347Z',
  alertname: 'KubePodCrashLooping',
  status: 'firing',
  severity: 'warning',
  priority: 'P2',
  labels: { alertname: 'KubePodCrashLooping', namespace: 'shop' },
  annotations: { summary: 'Pod is crash looping.' },
  endsAt: null,
  generatorUrl: 'http://prom/graph',
  ...over,
});

describe('ProcessedEventsRepo', () => {
  it('claims an event once; a redelivery is refused', () => {
    expect(store.events.claim('om_1', 'im.message.receive_v1', '{}', T0)).toBe(true);
    expect(store.events.claim('om_1', 'im.message.receive_v1', '{}', T0 + 1)).toBe(false);
    expect(store.events.unfinished().map((e) => e.id)).toEqual(['om_1']);
    store.events.markFailed('om_1', 'boom');
    expect(store.events.get('om_1')).toMatchObject({ status: 'failed', error: 'boom' });
    store.events.markHandled('om_1');
    expect(store.events.get('om_1')).toMatchObject({ status: 'handled', error: null });
    expect(store.events.unfinished()).toEqual([]);
  });
});

describe('AlertsRepo', () => {
  it('dedupes by fingerprint and episode, tracking status changes and repeats', () => {
    const first = store.alerts.upsert(alert(), T0);
    expect(first).toMatchObject({ isNew: true, statusChanged: true });
    const repeat = store.alerts.upsert(alert(), T0 + 60_000);
    expect(repeat).toMatchObject({ isNew: false, statusChanged: false });
    expect(repeat.alert.receiveCount).toBe(2);
    const resolved = store.alerts.upsert(alert({ status: 'resolved', endsAt: '2026-11-25T12:30:00Z' }), T0 + 120_000);
    expect(resolved).toMatchObject({ isNew: false, statusChanged: true });
    expect(resolved.alert).toMatchObject({
      status: 'resolved',
      endsAt: '2026-11-25T12:30:00Z',
      lastSeen: T0 + 120_000,
    });
    const again = store.alerts.upsert(alert({ startsAt: '2026-11-25T13:00:00Z' }), T0 + 180_000);
    expect(again.isNew).toBe(true);
    expect(store.alerts.latestByFingerprint('eb659671bde25b83')?.startsAt).toBe('2026-11-25T13:00:00Z');
    expect(store.alerts.count()).toBe(2);
  });

  it('keeps whole webhook bodies and counts alerts per incident', () => {
    expect(store.alerts.recordWebhook({ groupKey: 'g', status: 'firing', alertCount: 1, body: '{"x":1}' }, T0)).toBe(1);
    expect(store.alerts.webhookCount()).toBe(1);
    // Large bodies are stored deflated and read back as the exact text.
    const big = JSON.stringify({ alerts: Array.from({ length: 100 }, (_, i) => ({ labels: { pod: `p${i}` } })) });
    const id = store.alerts.recordWebhook(
      { groupKey: 'g', status: 'firing', alertCount: 100, body: Buffer.from(big) },
      T0,
    );
    const row = store.db.prepare('SELECT encoding, length(body) AS n FROM alert_webhooks WHERE id = ?').get(id);
    expect(row).toMatchObject({ encoding: 'deflate' });
    expect((row as { n: number }).n).toBeLessThan(big.length / 5);
    expect(store.alerts.webhookBody(id)).toBe(big);
    expect(store.alerts.webhookBody(1)).toBe('{"x":1}');
    const inc = store.incidents.create(
      {
        groupKey: 'k',
        title: 't',
        priority: 'P2',
        chatId: null,
        namespace: 'shop',
        cluster: null,
        labels: {},
        resources: [],
      },
      T0,
    );
    const a = store.alerts.upsert(alert(), T0).alert;
    const b = store.alerts.upsert(alert({ fingerprint: 'other', status: 'resolved' }), T0).alert;
    store.alerts.setIncident(a.id, inc.id);
    store.alerts.setIncident(b.id, inc.id);
    expect(store.alerts.countByStatus(inc.id)).toEqual({ firing: 1, resolved: 1 });
    expect(store.alerts.byIncident(inc.id).map((x) => x.fingerprint)).toEqual(['eb659671bde25b83', 'other']);
  });
});

describe('IncidentsRepo and TimelineRepo', () => {
  it('finds the active incident in the window and applies versioned updates', () => {
    const inc = store.incidents.create(
      {
        groupKey: 'k',
        title: 'checkout crash',
        priority: 'P1',
        chatId: 'oc_1',
        namespace: 'shop',
        cluster: null,
        labels: { a: 'b' },
        resources: [{ cluster: '', kind: 'deployment', namespace: 'shop', name: 'checkout' }],
      },
      T0,
    );
    expect(store.incidents.findActive('k', T0 - 1)).toBe(inc.id);
    expect(store.incidents.findActive('k', T0 + 1)).toBeUndefined();
    const acked = store.incidents.update(
      inc.id,
      { status: 'acknowledged', ackedBy: 'ou_a', ackedAt: T0 + 5 },
      inc.version,
    );
    expect(acked).toMatchObject({ status: 'acknowledged', ackedBy: 'ou_a', version: 2 });
    expect(store.incidents.update(inc.id, { status: 'resolved' }, inc.version)).toBeUndefined(); // stale version
    const x = [{ cluster: 'prod', kind: 'node', name: 'x' }];
    expect(store.incidents.update(inc.id, { status: 'resolved', resources: x })?.resources).toEqual(x);
    expect(store.incidents.findActive('k', 0)).toBeUndefined();
    expect(store.incidents.list({ status: 'resolved' })).toHaveLength(1);
    expect(store.incidents.list({ status: 'active' })).toHaveLength(0);

    store.timeline.add(inc.id, { kind: 'opened', detail: { priority: 'P1' } }, 'system', T0);
    store.timeline.add(inc.id, { kind: 'acknowledged', detail: { via: 'card' } }, 'ou_a', T0 + 5);
    expect(store.timeline.list(inc.id).map((e) => [e.kind, e.actor, e.detail])).toEqual([
      ['opened', 'system', { priority: 'P1' }],
      ['acknowledged', 'ou_a', { via: 'card' }],
    ]);
  });
});

describe('ConversationsRepo', () => {
  it('keeps one conversation per chat and thread and returns the newest messages oldest-first', () => {
    const c1 = store.conversations.getOrCreate('oc_1', '', T0);
    expect(store.conversations.getOrCreate('oc_1', '', T0 + 1).id).toBe(c1.id);
    expect(store.conversations.getOrCreate('oc_1', 'om_root', T0).id).not.toBe(c1.id);
    for (let i = 0; i < 5; i++) {
      store.conversations.addMessage(
        c1.id,
        { role: i % 2 ? 'assistant' : 'user', author: null, content: `m${i}`, toolCalls: null, toolCallId: null },
        T0 + i,
      );
    }
    store.conversations.addMessage(
      c1.id,
      { role: 'assistant', author: null, content: '', toolCalls: [{ id: 'c1' }], toolCallId: null },
      T0 + 9,
    );
    const recent = store.conversations.recent(c1.id, 3);
    expect(recent.map((m) => m.content)).toEqual(['m3', 'm4', '']);
    expect(recent[2]?.toolCalls).toEqual([{ id: 'c1' }]);
  });
});

describe('ApprovalsRepo and RunbookRunsRepo', () => {
  it('takes a decision exactly once', () => {
    const run = store.runbookRuns.create(
      {
        id: 'run-1',
        runbookId: 'restart',
        incidentId: null,
        params: { ns: 'shop' },
        state: 'pending_approval',
        requestedBy: 'ou_a',
      },
      T0,
    );
    store.approvals.create(
      {
        id: 'ap-1',
        runId: run.id,
        incidentId: null,
        action: 'run_runbook',
        params: {},
        requestedBy: 'ou_a',
        chatId: 'oc_1',
        expiresAt: null,
      },
      T0,
    );
    expect(store.approvals.pending().map((a) => a.id)).toEqual(['ap-1']);
    expect(store.approvals.decide('ap-1', 'approved', 'ou_b', T0 + 1)).toBe(true);
    expect(store.approvals.decide('ap-1', 'approved', 'ou_b', T0 + 2)).toBe(false);
    expect(store.approvals.decide('ap-1', 'rejected', 'ou_c', T0 + 3)).toBe(false);
    expect(store.approvals.get('ap-1')).toMatchObject({ status: 'approved', decidedBy: 'ou_b', decidedAt: T0 + 1 });
    expect(store.approvals.pending()).toEqual([]);
  });

  it('updates a run only at the expected version', () => {
    const run = store.runbookRuns.create(
      {
        id: 'run-1',
        runbookId: 'restart',
        incidentId: null,
        params: {},
        state: 'pending_approval',
        requestedBy: 'ou_a',
      },
      T0,
    );
    const running = store.runbookRuns.update(run.id, { state: 'running', approvedBy: 'ou_b' }, run.version, T0 + 1);
    expect(running).toMatchObject({ state: 'running', approvedBy: 'ou_b', version: 2, updatedAt: T0 + 1 });
    expect(store.runbookRuns.update(run.id, { state: 'failed' }, run.version, T0 + 2)).toBeUndefined();
    expect(store.runbookRuns.inStates(['running']).map((r) => r.id)).toEqual(['run-1']);
  });
});

describe('OutboxRepo', () => {
  it('dedupes, coalesces queued patches and serves one head per chat in order', () => {
    const a1 = store.outbox.enqueue({ chatId: 'oc_a', kind: 'send', payload: { n: 1 }, dedupeKey: 'inc-1-card' }, T0);
    expect(store.outbox.enqueue({ chatId: 'oc_a', kind: 'send', payload: { n: 1 }, dedupeKey: 'inc-1-card' }, T0)).toBe(
      a1,
    );
    const p1 = store.outbox.enqueue({ chatId: 'oc_a', kind: 'patch', payload: { v: 1 }, coalesceKey: 'card-1' }, T0);
    const p2 = store.outbox.enqueue({ chatId: 'oc_a', kind: 'patch', payload: { v: 2 }, coalesceKey: 'card-1' }, T0);
    const b1 = store.outbox.enqueue({ chatId: 'oc_b', kind: 'send', payload: {} }, T0);
    expect(store.outbox.get(p1)?.status).toBe('superseded');
    expect(store.outbox.due(T0, 10).map((i) => i.id)).toEqual([a1, b1]);

    store.outbox.retryLater(a1, '429', T0 + 1000);
    expect(store.outbox.due(T0, 10).map((i) => i.id)).toEqual([b1]); // oc_a waits; nothing jumps its head
    expect(store.outbox.nextDueAt()).toBe(T0);
    store.outbox.markSent(b1, 'om_b1', T0);
    store.outbox.markSent(a1, 'om_a1', T0 + 1000);
    expect(store.outbox.due(T0 + 1000, 10).map((i) => i.id)).toEqual([p2]);
    store.outbox.markFailed(p2, '230002 bot not in chat');
    expect(store.outbox.countByStatus()).toEqual({ pending: 0, sent: 2, failed: 1, superseded: 1 });
    expect(store.outbox.get(a1)).toMatchObject({ feishuMessageId: 'om_a1', attempts: 2 });
  });
});

describe('typed outgoing messages', () => {
  it('sends a card once per key, coalesces its patches and remembers its message id', () => {
    const card = { schema: '2.0' };
    const send = store.outbox.enqueueMessage({ kind: 'send_card', chatId: 'oc', cardKey: 'incident:1', card }, T0);
    expect(store.outbox.enqueueMessage({ kind: 'send_card', chatId: 'oc', cardKey: 'incident:1', card }, T0)).toBe(
      send,
    );
    const p1 = store.outbox.enqueueMessage({ kind: 'patch_card', chatId: 'oc', cardKey: 'incident:1', card }, T0);
    const p2 = store.outbox.enqueueMessage({ kind: 'patch_card', chatId: 'oc', cardKey: 'incident:1', card }, T0);
    // A superseded patch keeps its row for the record but drops its (possibly large) card payload.
    expect(store.outbox.get(p1)).toMatchObject({ status: 'superseded', payload: {} });
    expect(store.outbox.get(p2)).toMatchObject({
      status: 'pending',
      kind: 'patch_card',
      payload: { cardKey: 'incident:1' },
    });
    expect(store.cards.messageId('incident:1')).toBeUndefined();
    store.cards.record('incident:1', 'oc', 'om_1', T0);
    expect(store.cards.messageId('incident:1')).toBe('om_1');
    expect(store.cards.cardKeyOf('om_1')).toBe('incident:1');
  });
});

describe('AuditRepo and transactions', () => {
  it('records audit rows and rolls back a failed transaction whole', () => {
    store.audit.record(
      { actor: 'ou_a', action: 'restart', target: 'shop/deploy/checkout', decision: 'approved', detail: { run: 'r1' } },
      T0,
    );
    expect(store.audit.list({ action: 'restart' })[0]).toMatchObject({ actor: 'ou_a', detail: { run: 'r1' } });
    expect(() =>
      store.tx(() => {
        store.outbox.enqueue({ chatId: 'oc', kind: 'send', payload: {} }, T0);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(store.outbox.countByStatus().pending).toBe(0);
  });
});

describe('rows and the domain model', () => {
  it('every incident and alert row the intake wrote parses with its model schema', async () => {
    const { IncidentSchema } = await import('../../../src/incidents/model.js');
    const { AlertSchema } = await import('../../../src/alerts/model.js');
    const { ingestWebhook } = await import('../../../src/incidents/apply-webhook.js');
    const { fixture, harness } = await import('../../helpers/alerts.js');
    const h = harness({ store });
    ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}');
    ingestWebhook(h, fixture('firing-mixed-1-resolved-2-firing'), '{}');
    const incidents = store.incidents.list();
    expect(incidents.length).toBeGreaterThan(0);
    for (const inc of incidents) {
      expect(IncidentSchema.parse(inc)).toEqual(inc);
      for (const a of store.alerts.byIncident(inc.id)) expect(AlertSchema.parse(a)).toEqual(a);
    }
  });
});
