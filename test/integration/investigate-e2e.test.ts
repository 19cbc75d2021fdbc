/**
 * Diagnosis through the real app and the Feishu emulator: an Alertmanager webhook opens an incident on a
 * crash-looping deployment of the simulated cluster; Investigate is clicked on its card and the diagnosis card
 * arrives in that card's thread, the card itself gaining the top cause; a P1 incident is diagnosed by itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { alert, body } from '../helpers/alerts.js';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';
import { ALICE, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually } from '../helpers/gateway-app.js';

let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
let world: DiagnosisWorld | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
  await world?.close();
  app = undefined;
  emu = undefined;
  world = undefined;
});

async function setup() {
  world = await diagnosisWorld();
  world.sim.inject('crashloop', {});
  await world.run(90);
  emu = await startTestEmulator(testWorld());
  const yaml = `
routes:
  - match: ['namespace="shop"']
    chat_id: ${ONCALL_CHAT}
    oncall: [${ALICE.openId}]
`;
  const r = loadConfig(
    {
      FEISHU_APP_ID: emu.app.appId,
      FEISHU_APP_SECRET: emu.app.appSecret,
      ...(emu.app.verificationToken ? { FEISHU_VERIFICATION_TOKEN: emu.app.verificationToken } : {}),
      FEISHU_DOMAIN: emu.url,
      BOT_LOCALE: 'en-US',
      ALERTMANAGER_WEBHOOK_TOKEN: 'am-token',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'nanobot-diag-')), 'db.sqlite'),
      SRE_NANOBOT_CONFIG: 'routes.yaml',
    },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  app = await startApp(r.config, {
    log: silentLogger(),
    metrics: new Metrics({ defaultMetrics: false }),
    diagnosis: { reader: world.reader },
  });
  const base = `http://127.0.0.1:${app.address.port}`;
  emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  const webhook = (severity: string) =>
    fetch(`${base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer am-token' },
      body: JSON.stringify(
        body([alert({ alertname: 'KubePodCrashLooping', namespace: 'shop', deployment: 'checkout', severity })]),
      ),
    });
  return { emu, app, webhook };
}

const botCards = (e: FeishuEmulator) =>
  e.messages(ONCALL_CHAT).filter((m) => m.sender.type === 'bot' && m.msgType === 'interactive');

describe('diagnosis through the app', () => {
  it('Investigate on a P2 card posts the diagnosis in its thread and the top cause on the card', async () => {
    const { emu, app, webhook } = await setup();
    expect((await webhook('warning')).status).toBe(200);
    const [card] = await eventually(() => botCards(emu).length > 0 && botCards(emu));
    expect(card?.content).toContain('"action":"investigate"');
    const click = await emu.clickButton({
      messageId: card?.messageId ?? '',
      operator: ALICE.openId,
      value: { action: 'investigate', incidentId: 1 },
    });
    expect(click.toast).toEqual({
      type: 'success',
      content: 'Diagnosing incident #1: the findings will be posted in its thread.',
    });
    const reply = await eventually(() =>
      botCards(emu).find((m) => m.parentId === card?.messageId && m.content.includes('Diagnosis of incident #1')),
    );
    expect(reply.threadId).toBeDefined();
    expect(reply.content).toContain('CrashLoopBackOff');
    expect(reply.content).toContain('deployment-rollback');
    await eventually(() => emu.message(card?.messageId ?? '')?.content.includes('Top cause'));
    const again = await emu.clickButton({
      messageId: card?.messageId ?? '',
      operator: ALICE.openId,
      value: { action: 'investigate', incidentId: 1 },
    });
    expect(again.toast?.content).toMatch(/already being diagnosed|was diagnosed/);
    await app.diagnoser.idle();
    expect(botCards(emu).filter((m) => m.parentId === card?.messageId)).toHaveLength(1);
    expect(app.ctx.store.timeline.latest(1, 'diagnosed')?.detail.trigger).toBe('button');
  });

  it('a P1 incident is diagnosed as soon as it opens', async () => {
    const { emu, app, webhook } = await setup();
    expect((await webhook('critical')).status).toBe(200);
    const [card] = await eventually(() => botCards(emu).length > 0 && botCards(emu));
    const reply = await eventually(() => botCards(emu).find((m) => m.parentId === card?.messageId));
    expect(reply.content).toContain('CrashLoopBackOff');
    expect(app.ctx.store.timeline.latest(1, 'diagnosed')?.detail.trigger).toBe('auto');
  });
});
