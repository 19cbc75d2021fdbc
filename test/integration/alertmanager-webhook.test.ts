/** The real server on a loopback port: POST /webhooks/alertmanager end to end, through a restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { Store } from '../../src/store/index.js';
import { fixtureText } from '../helpers/alerts.js';

const running: RunningApp[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});

async function start(dbPath: string, token = 's3cret') {
  const r = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: dbPath,
      ALERTMANAGER_WEBHOOK_TOKEN: token,
      FEISHU_DEFAULT_CHAT_ID: 'oc_ops',
      BOT_LOCALE: 'en-US',
    },
    { readFile: () => undefined },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  const app = await startApp(r.config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  running.push(app);
  return { app, url: `http://127.0.0.1:${app.address.port}/webhooks/alertmanager` };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const auth = { authorization: 'Bearer s3cret' };

describe('POST /webhooks/alertmanager', () => {
  it('refuses a missing or wrong bearer token with 401 and stores nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-am-'));
    const { app, url } = await start(join(dir, 'db.sqlite'));
    const body = fixtureText('firing-single-KubePodCrashLooping');
    const none = await post(url, body);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toMatch(/Authorization: Bearer/);
    const wrong = await post(url, body, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(app.ctx.store.alerts.webhookCount()).toBe(0);
  });

  it('answers 400 with the reason for a body that is not webhook v4, and 413 above 1 MiB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-am-'));
    const { url } = await start(join(dir, 'db.sqlite'));
    const bad = await post(url, JSON.stringify({ version: '3', alerts: 'x' }), auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/version/);
    const malformed = await post(url, '{"version":', auth);
    expect(malformed.status).toBe(400);
    const fixture = JSON.parse(fixtureText('firing-single-KubePodCrashLooping'));
    fixture.alerts[0].startsAt = 'yesterday';
    const badTime = await post(url, JSON.stringify(fixture), auth);
    expect(badTime.status).toBe(400);
    expect(((await badTime.json()) as { message: string }).message).toContain(
      'alerts.0.startsAt: expected an RFC 3339 time',
    );
    const huge = await post(url, JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }), auth);
    expect(huge.status).toBe(413);
  });

  it('accepts "none" explicitly without a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-am-'));
    const { url } = await start(join(dir, 'db.sqlite'), 'none');
    const r = await post(url, fixtureText('firing-single-KubePodCrashLooping'));
    expect(r.status).toBe(200);
  });

  it('commits the body before answering 200 and applies it right after; a restart loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-am-'));
    const dbPath = join(dir, 'db.sqlite');
    const first = await start(dbPath);
    const r1 = await post(first.url, fixtureText('firing-single-KubePodCrashLooping'), auth);
    expect(r1.status).toBe(200);
    expect(await r1.json()).toEqual({ status: 'ok', alerts: 1, webhook: 1 });
    // Read through a second connection: the body is committed, not just in the server's memory.
    const peek = Store.open(dbPath);
    expect(peek.alerts.webhookCount()).toBe(1);
    await first.app.intake.idle();
    expect(peek.alerts.count()).toBe(1);
    expect(peek.outbox.countByStatus().pending).toBe(1);
    await first.app.stop();
    running.splice(0);
    // A body acknowledged just before the process died, never applied: the next start applies it.
    peek.alerts.recordWebhook(
      { groupKey: 'g', status: 'firing', alertCount: 3, body: fixtureText('firing-grouped-by-namespace-3-alerts') },
      Date.now(),
    );
    peek.close();

    const second = await start(dbPath);
    await second.app.intake.idle();
    // Three more alert rows (the crash-looping pod's alert is a new firing episode there), all on the one incident.
    expect(second.app.ctx.store.alerts.count()).toBe(4);
    expect(second.app.ctx.store.incidents.list()).toHaveLength(1);
    const r3 = await post(second.url, fixtureText('resolved-single-KubeDeploymentReplicasMismatch'), auth);
    expect(r3.status).toBe(200);
    await second.app.intake.idle();
    const store = second.app.ctx.store;
    expect(store.alerts.webhookCount()).toBe(3);
    expect(store.incidents.list()).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${second.app.address.port}/metrics`)).text();
    expect(metrics).toContain('sre_nanobot_alert_webhook_backlog 0');
    expect(metrics).toMatch(/sre_nanobot_alert_webhook_apply_lag_seconds \d/);
    expect(metrics).toContain('sre_nanobot_alerts_received_total{status="resolved"} 1');
    expect(store.incidents.list()[0]?.status).toBe('open'); // two of its three alerts still fire
    const kinds = (store.db.prepare('SELECT kind FROM outbox ORDER BY id').all() as { kind: string }[]).map(
      (r) => r.kind,
    );
    expect(kinds[0]).toBe('send_card');
    expect(kinds.filter((k) => k === 'send_card')).toHaveLength(1);
  });
});
