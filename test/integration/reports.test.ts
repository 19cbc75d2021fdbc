/**
 * Reports from outside: Alertmanager webhook → the real app → the incident card in the Feishu emulator; the
 * on-call resolves it on the card, the incident report arrives in the card's thread, people grade the diagnosis
 * with its buttons (clicks delivered encrypted and signed), and `/report daily` answers a digest with charts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { createLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { fixtureText } from '../helpers/alerts.js';
import { ENCRYPT_KEY } from '../helpers/feishu.js';
import { ALICE, BOB, CAROL, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
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
  const world = testWorld();
  world.chats = (world.chats ?? []).map((c) =>
    c.chatId === ONCALL_CHAT ? { ...c, members: [...c.members, CAROL.openId] } : c,
  );
  emu = await startTestEmulator({ ...world, app: { ...world.app, encryptKey: ENCRYPT_KEY } });
  const yaml = `
routes:
  - match: ['namespace="shop"']
    chat_id: ${ONCALL_CHAT}
    oncall: [${ALICE.openId}]
people:
  - id: ${CAROL.openId}
    roles: [viewer]
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
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'nanobot-reports-')), 'db.sqlite'),
      SRE_NANOBOT_CONFIG: 'routes.yaml',
    },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  app = await startApp(r.config, {
    log: createLogger('silent'),
    metrics: new Metrics({ defaultMetrics: false }),
  });
  const base = `http://127.0.0.1:${app.address.port}`;
  emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  const res = await fetch(`${base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer am-token' },
    body: fixtureText('firing-grouped-by-namespace-3-alerts'),
  });
  expect(res.status).toBe(200);
  await app.intake.idle();
  const running = app;
  const e = emu;
  const card = await eventually(() => {
    const id = running.ctx.store.cards.messageId('incident:1');
    return id && e.message(id) && id;
  });
  return { app: running, emu: e, card };
}

describe('incident report and accuracy vote', () => {
  it('posts the report in the card’s thread on resolve, and counts one changeable vote per person', async () => {
    const { app, emu, card } = await setup();
    const resolved = await emu.clickButton({
      messageId: card,
      operator: ALICE.openId,
      value: { action: 'resolve', incidentId: 1 },
    });
    expect(resolved.toast?.type).toBe('success');
    const report = await emu.waitForMessage((m) => m.rootId === card && m.msgType === 'interactive');
    expect(report.chatId).toBe(ONCALL_CHAT);
    expect(JSON.parse(report.content).header.title.content).toMatch(/^Incident report #1 · /);
    expect(report.content).toContain(`resolved by <at id=${ALICE.openId}></at>`);

    // A stranger (not in people, not on call) is refused and nothing is stored.
    const stranger = await emu.clickButton({
      messageId: report.messageId,
      operator: BOB.openId,
      value: { action: 'vote', incidentId: 1, verdict: 'wrong' },
    });
    expect(stranger.toast).toEqual({
      type: 'error',
      content: 'Grading a diagnosis needs a role: This needs the viewer role; ask an admin to add you under people.',
    });
    // The on-call and a viewer vote; the on-call changes their mind; the card shows the tally.
    const vote = (operator: string, verdict: string) =>
      emu.clickButton({ messageId: report.messageId, operator, value: { action: 'vote', incidentId: 1, verdict } });
    expect((await vote(ALICE.openId, 'right')).toast?.type).toBe('success');
    expect((await vote(CAROL.openId, 'partly')).toast?.type).toBe('success');
    const changed = await vote(ALICE.openId, 'wrong');
    expect(changed.toast?.content).toBe('Changed your answer for #1 to "Wrong".');
    expect(changed.cardUpdated).toBe(true);
    expect(emu.message(report.messageId)?.content).toContain('0 right · 1 partly · 1 wrong');
    // The report is posted once: a second resolve click changes nothing.
    await emu.clickButton({ messageId: card, operator: ALICE.openId, value: { action: 'resolve', incidentId: 1 } });
    expect(emu.messages(ONCALL_CHAT).filter((m) => m.rootId === card && m.msgType === 'interactive')).toHaveLength(1);
    expect(app.ctx.store.audit.list({ action: 'report.vote' }).map((a) => a.decision)).toEqual([
      'changed',
      'recorded',
      'recorded',
      'denied',
    ]);
  });

  it('answers /report daily (with its two charts) and /incident 1 postmortem in the chat', async () => {
    const { emu } = await setup();
    // Carol holds the viewer role, which reading reports needs.
    emu.sendUserMessage({ chatId: ONCALL_CHAT, from: CAROL.openId, text: '/report daily', mentionBot: true });
    const digest = await emu.waitForMessage((m) => m.msgType === 'interactive' && m.content.includes('Daily report'));
    const card = JSON.parse(digest.content);
    const charts = JSON.stringify(card).match(/"tag":"chart"/g) ?? [];
    expect(charts).toHaveLength(2);
    emu.sendUserMessage({ chatId: ONCALL_CHAT, from: CAROL.openId, text: '/incident 1 postmortem', mentionBot: true });
    const pm = await emu.waitForMessage(
      (m) => m.msgType === 'interactive' && m.content.includes('Postmortem draft #1'),
    );
    expect(pm.content).toContain('## Timeline');
  });
});
