/**
 * The sandbox demo fixed from the page, as a person would: the crash-looping checkout's incident card is there;
 * Alice (on call) asks for the rollback the diagnosis proposes, Carol (viewer) is refused on the approval card,
 * Bob (the demo approver) approves, the rollback runs once on the simulated cluster, the pods heal, and the
 * incident resolves when Alertmanager's resolved notification follows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/main.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { eventually } from '../helpers/gateway-app.js';

let sandbox: RunningSandbox;
let running: Awaited<ReturnType<typeof startApp>> | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({
    env: { BOT_LOCALE: 'en-US' },
    dataDir: mkdtempSync(join(tmpdir(), 'nanobot-sandbox-run-')),
    ports: { bot: 0, feishu: 0, cluster: 0, llm: 0 },
    log: silentLogger(),
    startApp: async (config) => {
      running = await startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
      return running;
    },
  });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('the sandbox demo, fixed from the page', () => {
  it('Run rollback → refused for the viewer → approved by the demo approver → pods heal → incident resolves', async () => {
    const demo = await sandbox.demo;
    expect(demo?.status).toBe(200);
    const app = running;
    if (!app) throw new Error('no app');
    const people = sandbox.identity.people;
    const alice = people[0]?.openId ?? '';
    const bob = people.find((p) => p.roles.includes('approver') && p.openId !== alice)?.openId ?? '';
    const carol = people.find((p) => p.roles.includes('viewer'))?.openId ?? '';
    const incidentCard = await eventually(() => app.ctx.store.cards.messageId('incident:1'), 30_000);

    const run = await sandbox.feishu.clickButton({
      messageId: incidentCard,
      operator: alice,
      value: {
        action: 'run_runbook',
        runbookId: 'deployment-rollback',
        incidentId: 1,
        params: { namespace: 'shop', deployment: 'checkout' },
      },
    });
    expect(run.toast).toEqual({
      type: 'success',
      content: 'Approval requested: Roll back a deployment on shop/checkout.',
    });
    const runId = app.ctx.store.runbookRuns.inStates(['awaiting_approval'])[0]?.id ?? '';
    const card = await eventually(() => app.ctx.store.cards.messageId(`run:${runId}`), 30_000);
    const approvalId = app.ctx.store.approvals.ofRun(runId)[0]?.id;
    const refused = await sandbox.feishu.clickButton({
      messageId: card,
      operator: carol,
      value: { action: 'approve', approvalId },
    });
    expect(refused.toast?.type).toBe('error');
    const ok = await sandbox.feishu.clickButton({
      messageId: card,
      operator: bob,
      value: { action: 'approve', approvalId },
    });
    expect(ok.toast?.content).toBe('Approved: Roll back a deployment is running.');

    await eventually(() => app.ctx.store.incidents.get(1)?.status === 'resolved', 90_000);
    await eventually(() => sandbox.feishu.message(card)?.content.includes('Verifying'), 30_000);
    const writes = app.ctx.store.audit
      .list({ action: 'tool:k8s.deployment_rollback' })
      .filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);
    expect(writes).toHaveLength(1);
  }, 180_000);
});
