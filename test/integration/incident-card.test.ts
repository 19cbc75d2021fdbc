/**
 * An incident end to end: Alertmanager webhook → the real app → the incident card in the Feishu emulator's
 * group → Ack clicked by a person → the same card updated in place; then the alerts resolve and the card says so.
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
import { fixtureText } from '../helpers/alerts.js';
import { ALICE, BOB, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually } from '../helpers/gateway-app.js';

let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
  app = undefined;
  emu = undefined;
});

async function setup() {
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
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'nanobot-inc-')), 'db.sqlite'),
      SRE_NANOBOT_CONFIG: 'routes.yaml',
    },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  app = await startApp(r.config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  const base = `http://127.0.0.1:${app.address.port}`;
  emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  const webhook = (name: string) =>
    fetch(`${base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer am-token' },
      body: fixtureText(name),
    });
  return { emu, app, webhook };
}

/** The bot's cards in the chat itself; replies in a card's thread (diagnosis, report) are not incident cards. */
const cards = (e: FeishuEmulator) =>
  e.messages(ONCALL_CHAT).filter((m) => m.sender.type === 'bot' && m.msgType === 'interactive' && !m.parentId);

describe('incident card through the Feishu emulator', () => {
  it('posts one card, acks it from a click, and resolves it in place', async () => {
    const { emu, app, webhook } = await setup();
    expect((await webhook('firing-grouped-by-namespace-3-alerts')).status).toBe(200);
    const [card] = await eventually(() => {
      const c = cards(emu);
      return c.length > 0 && c;
    });
    expect(card?.content).toContain('KubeDeploymentReplicasMismatch');
    expect(card?.content).toContain(`<at id=${ALICE.openId}></at>`); // P1: the on-call is mentioned

    const click = await emu.clickButton({
      messageId: card?.messageId ?? '',
      operator: BOB.openId,
      value: { action: 'ack', incidentId: 1 },
    });
    expect(click.error).toBeUndefined();
    expect(click.toast).toEqual({ type: 'success', content: 'Incident #1 acknowledged.' });
    expect(app.ctx.store.incidents.get(1)).toMatchObject({ status: 'acknowledged', ackedBy: BOB.openId });

    // The repeat and the resolution patch the same message; no second card appears.
    expect((await webhook('firing-grouped-by-namespace-3-alerts')).status).toBe(200);
    const resolved = JSON.parse(fixtureText('firing-grouped-by-namespace-3-alerts')) as {
      status: string;
      alerts: { status: string }[];
    };
    resolved.status = 'resolved';
    for (const a of resolved.alerts) a.status = 'resolved';
    const r = await fetch(`http://127.0.0.1:${app.address.port}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer am-token' },
      body: JSON.stringify(resolved),
    });
    expect(r.status).toBe(200);
    await app.intake.idle();
    expect(app.ctx.store.incidents.get(1)?.status).toBe('resolved');
    const updated = await eventually(() => {
      const m = emu.message(card?.messageId ?? '');
      return m?.content.includes('every alert resolved') && m;
    });
    expect(updated.content).toContain(`**Acknowledged by** <at id=${BOB.openId}></at>`);
    expect(cards(emu)).toHaveLength(1);
  });
});
