/**
 * End to end from outside, as in a real tenant: Alertmanager webhook → the incident card in the Feishu
 * emulator's group → Run (an operator) → the run card with the dry run → Approve (an approver), delivered as
 * encrypted, signed callbacks → the scale runs on the simulated cluster (reached through a kubeconfig) →
 * verification → the same card message updated in place to "Done — verified" and a reply that mentions the
 * requester. The Approve click's toast arrives well within Feishu's window.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { fixtureText } from '../helpers/alerts.js';
import { ENCRYPT_KEY } from '../helpers/feishu.js';
import { ALICE, BOB, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually } from '../helpers/gateway-app.js';

let emu: FeishuEmulator;
let app: RunningApp;
let sim: ClusterSimulator;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-runbook-'));
  sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig'), world: { tickMs: 100, seed: 3 } });
  const world = testWorld();
  emu = await startTestEmulator({ ...world, app: { ...world.app, encryptKey: ENCRYPT_KEY } });
  const yaml = `
routes:
  - match: ['namespace="shop"']
    chat_id: ${ONCALL_CHAT}
people:
  - { id: ${ALICE.openId}, roles: [operator] }
  - { id: ${BOB.openId}, roles: [approver] }
`;
  const r = loadConfig(
    {
      FEISHU_APP_ID: emu.app.appId,
      FEISHU_APP_SECRET: emu.app.appSecret,
      FEISHU_VERIFICATION_TOKEN: emu.app.verificationToken ?? '',
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_DOMAIN: emu.url,
      BOT_LOCALE: 'en-US',
      ALERTMANAGER_WEBHOOK_TOKEN: 'am-token',
      HOST: '127.0.0.1',
      PORT: '0',
      KUBECONFIG: join(dir, 'kubeconfig'),
      DATABASE_PATH: join(dir, 'db.sqlite'),
      SRE_NANOBOT_CONFIG: 'routes.yaml',
    },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  app = await startApp(r.config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  const base = `http://127.0.0.1:${app.address.port}`;
  emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  const res = await fetch(`${base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer am-token' },
    body: fixtureText('firing-grouped-by-namespace-3-alerts'),
  });
  expect(res.status).toBe(200);
  await app.intake.idle();
});

afterAll(async () => {
  await app?.stop();
  await emu?.close();
  await sim?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects
const replicas = (): number => (sim.store.get('Deployment', 'shop', 'cart') as any)?.spec?.replicas;

describe('a run through the Feishu emulator', () => {
  it('Run → approval card with the dry run → Approve → executed → verified, on one message updated in place', async () => {
    const incidentCard = await eventually(() => app.ctx.store.cards.messageId('incident:1'));
    const run = await emu.clickButton({
      messageId: incidentCard,
      operator: ALICE.openId,
      value: {
        action: 'run_runbook',
        runbookId: 'deployment-scale',
        incidentId: 1,
        params: { namespace: 'shop', deployment: 'cart', replicas: '3', previous_replicas: String(replicas()) },
      },
    });
    expect(run.toast).toEqual({ type: 'success', content: 'Approval requested: Scale a deployment on shop/cart.' });
    const runId = app.ctx.store.runbookRuns.inStates(['awaiting_approval'])[0]?.id ?? '';
    const cardId = await eventually(() => app.ctx.store.cards.messageId(`run:${runId}`));
    const shown = emu.message(cardId)?.content ?? '';
    expect(shown).toContain('Dry run of Set the replica count');
    expect(shown).toContain('Replicas: 2 → 3');
    expect(replicas()).toBe(2);

    const refused = await emu.clickButton({
      messageId: cardId,
      operator: ALICE.openId,
      value: { action: 'approve', approvalId: app.ctx.store.approvals.ofRun(runId)[0]?.id },
    });
    expect(refused.toast?.type).toBe('error');
    const approved = await emu.clickButton({
      messageId: cardId,
      operator: BOB.openId,
      value: { action: 'approve', approvalId: app.ctx.store.approvals.ofRun(runId)[0]?.id },
    });
    expect(approved.toast).toEqual({ type: 'success', content: 'Approved: Scale a deployment is running.' });
    expect(approved.ms).toBeLessThan(3000);

    await eventually(() => emu.message(cardId)?.content.includes('Done — verified'), 60_000);
    expect(replicas()).toBe(3);
    const messages = emu.messages(ONCALL_CHAT);
    // one message per run, updated in place
    expect(
      messages.filter((m) => m.msgType === 'interactive' && m.content.includes('Scale a deployment')),
    ).toHaveLength(1);
    expect(emu.message(cardId)?.updateCount).toBeGreaterThan(1);
    const reply = await eventually(() => emu.messages(ONCALL_CHAT).find((m) => m.parentId === cardId));
    expect(reply.content).toContain(ALICE.openId);
    expect(reply.content).toContain('is done and verified');
    const kinds = app.ctx.store.timeline.list(1).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['approval_requested', 'approved', 'run_started', 'verified', 'run_ended']),
    );
  }, 90_000);
});
