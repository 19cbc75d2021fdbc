/**
 * Dependencies failing under the bot: Alertmanager down when Silence is clicked (a clear toast, nothing
 * half-done), and Feishu down (5xx) for a while and then rate limiting while alerts keep coming (nothing lost,
 * each chat's messages in the order they were queued, Feishu's per-chat limit respected).
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { webhookBody } from '../../src/sandbox/demo/alertmanager.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ALICE, ONCALL_CHAT, startTestEmulator } from '../helpers/feishu-emulator.js';
import { eventually, startAppAgainst } from '../helpers/gateway-app.js';

const TOKEN = 'outage-token';
let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
  app = undefined;
  emu = undefined;
});

function alertBody(i: number, workload = `svc${i}`) {
  return webhookBody(
    [
      {
        labels: {
          alertname: 'KubeDeploymentReplicasMismatch',
          severity: 'warning',
          namespace: 'shop',
          deployment: workload,
          seq: String(i),
        },
        annotations: { summary: `mismatch ${i}` },
        startsAt: new Date(Date.parse('2026-12-01T08:00:00Z') + i * 1000),
      },
    ],
    { groupBy: ['alertname', 'namespace', 'deployment'] },
  );
}

async function post(base: string, body: unknown): Promise<number> {
  const res = await fetch(`${base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('outages', () => {
  it('Alertmanager down when Silence is clicked: a clear toast, no silence recorded, the card unchanged', async () => {
    emu = await startTestEmulator();
    app = await startAppAgainst(emu, {
      ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
      FEISHU_DEFAULT_CHAT_ID: ONCALL_CHAT,
      ALERTMANAGER_URL: 'http://127.0.0.1:9',
    });
    const base = `http://127.0.0.1:${(app.address as AddressInfo).port}`;
    expect(await post(base, alertBody(1))).toBe(200);
    const e = emu;
    const card = await eventually(() => e.messages(ONCALL_CHAT).find((m) => m.msgType === 'interactive'));
    const before = e.message(card.messageId)?.content;
    const db = app.ctx.store.db;
    const incidentId = db.prepare('SELECT id FROM incidents').get() as { id: number };
    const timeline = () => (db.prepare('SELECT count(*) AS n FROM incident_timeline').get() as { n: number }).n;
    const rows = timeline();
    const r = await e.clickButton({
      messageId: card.messageId,
      operator: ALICE.openId,
      value: { action: 'silence', incidentId: incidentId.id, duration: '1h' },
    });
    expect(r.status).toBe(200);
    expect(r.toast?.type).toBe('error');
    expect(r.toast?.content).toMatch(/Alertmanager/);
    expect(app.ctx.store.db.prepare('SELECT count(*) AS n FROM silences').get()).toEqual({ n: 0 });
    expect(e.message(card.messageId)?.content).toBe(before);
    // A failed attempt may be noted in the timeline, never a "silenced" entry.
    const kinds = (app.ctx.store.db.prepare('SELECT kind FROM incident_timeline').all() as { kind: string }[]).map(
      (k) => k.kind,
    );
    expect(kinds).not.toContain('silenced');
    expect(timeline()).toBeGreaterThanOrEqual(rows);
  });

  it('Feishu 5xx for a while, then rate limited: every card arrives once, in order, within the chat limit', async () => {
    emu = await startTestEmulator();
    app = await startAppAgainst(emu, { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, FEISHU_DEFAULT_CHAT_ID: ONCALL_CHAT });
    const base = `http://127.0.0.1:${(app.address as AddressInfo).port}`;
    emu.faults.inject({ kind: 'server_error', durationMs: 2_000, path: /\/im\/v1\/messages/ });
    const N = 8;
    for (let i = 0; i < N; i++) expect(await post(base, alertBody(i))).toBe(200);
    await eventually(
      () => (emu?.transcript.some((t) => t.direction === 'in' && t.status >= 500) ? true : undefined),
      10_000,
    );
    emu.faults.inject({ kind: 'rate_limit_chat', count: 3 });
    emu.faults.inject({ kind: 'rate_limit_app', count: 2 });
    const store = app.ctx.store;
    await eventually(() => store.outbox.countByStatus().pending === 0 || undefined, 60_000);
    expect(store.outbox.countByStatus().failed).toBe(0);
    const e = emu;
    const cards = e.messages(ONCALL_CHAT).filter((m) => m.msgType === 'interactive');
    const seqs = cards.map((m) => Number(/mismatch (\d+)/.exec(m.content)?.[1]));
    // Nothing lost, nothing twice, and in the order the alerts came.
    expect(seqs).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(e.maxSendsPerSecond(ONCALL_CHAT)).toBeLessThanOrEqual(5);
    const failures = e.transcript.filter((t) => t.direction === 'in' && t.status >= 400);
    expect(failures.some((t) => t.status >= 500)).toBe(true);
    expect(failures.some((t) => t.status === 429 || t.code === 230020)).toBe(true);
  });
});
