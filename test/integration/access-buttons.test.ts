/**
 * Who may press an incident's buttons, from outside: Alertmanager webhook → the real app → the card in the Feishu
 * emulator's group → clicks delivered encrypted and signed. With `people` configured, a viewer and a stranger are
 * refused, the on-call acts on their own route's incident only, and a button forged onto another incident's card
 * is refused without replacing the card; with no people, anyone in the chat may ack and approvals are refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
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

const DAVE = { openId: 'ou_d4e5f60718293a4b5c6d7e8f90a1b2c3', name: 'Dave' };

async function setup(people: string) {
  const world = testWorld();
  world.users = [...(world.users ?? []), DAVE];
  world.chats = (world.chats ?? []).map((c) =>
    c.chatId === ONCALL_CHAT ? { ...c, members: [...c.members, CAROL.openId, DAVE.openId] } : c,
  );
  emu = await startTestEmulator({ ...world, app: { ...world.app, encryptKey: ENCRYPT_KEY } });
  const yaml = `
routes:
  - match: ['namespace="shop"']
    chat_id: ${ONCALL_CHAT}
    oncall: [${ALICE.openId}]
  - match: ['namespace="payments"']
    chat_id: ${ONCALL_CHAT}
    oncall: [${DAVE.openId}]
${people}`;
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
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'nanobot-access-')), 'db.sqlite'),
      SRE_NANOBOT_CONFIG: 'routes.yaml',
    },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  app = await startApp(r.config, { log: createLogger('warn', sink), metrics: new Metrics({ defaultMetrics: false }) });
  const base = `http://127.0.0.1:${app.address.port}`;
  emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  const running = app;
  const e = emu;
  const post = async (namespace: string) => {
    const body = fixtureText('firing-grouped-by-namespace-3-alerts')
      .replaceAll('shop', namespace)
      .replaceAll('"fingerprint":"', `"fingerprint":"${namespace}`);
    const res = await fetch(`${base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer am-token' },
      body,
    });
    expect(res.status).toBe(200);
    await running.intake.idle();
  };
  const cardOf = async (id: number) =>
    eventually(() => {
      const key = running.ctx.store.cards.messageId(`incident:${id}`);
      return key && e.message(key) && key;
    });
  const click = (messageId: string, operator: string, incidentId: number) =>
    e.clickButton({ messageId, operator, value: { action: 'ack', incidentId } });
  return { emu: e, app: running, post, cardOf, click, logs };
}

const PEOPLE = `people:
  - id: ${CAROL.openId}
    roles: [viewer]
`;

describe('incident buttons with people configured', () => {
  it('refuses a viewer and a stranger with a toast and an audit row, and changes nothing', async () => {
    const { app, post, cardOf, click, emu } = await setup(PEOPLE);
    await post('shop');
    const card = await cardOf(1);
    const before = emu.message(card)?.content;

    const viewer = await click(card, CAROL.openId, 1);
    expect(viewer.toast).toEqual({
      type: 'error',
      content: 'This needs the operator role (you have viewer); ask an admin to add it under people.',
    });
    const stranger = await click(card, BOB.openId, 1);
    expect(stranger.toast).toEqual({
      type: 'error',
      content: 'This needs the operator role; ask an admin to add you under people.',
    });
    expect(app.ctx.store.incidents.get(1)?.status).toBe('open');
    expect(emu.message(card)?.content).toBe(before);
    const denied = app.ctx.store.audit.list({ action: 'incident.ack' });
    expect(denied.map((d) => [d.actor, d.decision, d.detail.reason])).toEqual([
      [BOB.openId, 'denied', 'unknown_person'],
      [CAROL.openId, 'denied', 'role_missing'],
    ]);
  });

  it('lets the on-call ack their own route’s incident but not another route’s', async () => {
    const { app, post, cardOf, click } = await setup(PEOPLE);
    await post('shop');
    await post('payments');
    const shop = await cardOf(1);
    const payments = await cardOf(2);
    expect((await click(payments, ALICE.openId, 2)).toast?.type).toBe('error');
    expect(app.ctx.store.incidents.get(2)?.status).toBe('open');
    expect((await click(shop, ALICE.openId, 1)).toast).toEqual({
      type: 'success',
      content: 'Incident #1 acknowledged.',
    });
    expect(app.ctx.store.incidents.get(1)).toMatchObject({ status: 'acknowledged', ackedBy: ALICE.openId });
  });

  it('refuses a button naming incident #2 on #1’s card and leaves the clicked card as it is', async () => {
    const { app, post, cardOf, click, emu } = await setup(PEOPLE);
    await post('shop');
    await post('payments');
    const shop = await cardOf(1);
    const before = emu.message(shop)?.content;
    const forged = await click(shop, DAVE.openId, 2); // Dave is on call for #2, but this is #1's card
    expect(forged.toast).toEqual({
      type: 'error',
      content: 'This card does not show incident #2, so nothing was changed.',
    });
    expect(app.ctx.store.incidents.get(2)?.status).toBe('open');
    expect(emu.message(shop)?.content).toBe(before);
    expect(app.ctx.store.audit.list({ action: 'incident.ack' })[0]).toMatchObject({
      decision: 'denied',
      detail: { reason: 'card_mismatch' },
    });
  });
});

describe('incident buttons with no people configured', () => {
  it('warns at start-up, lets anyone in the chat ack, and refuses approvals', async () => {
    const { app, post, cardOf, click, logs } = await setup('');
    expect(logs.join('')).toContain('no people configured: anyone in an incident’s chat may ack');
    expect(logs.join('')).toContain('approvals are refused until people are configured');
    await post('shop');
    const card = await cardOf(1);
    expect((await click(card, BOB.openId, 1)).toast).toEqual({ type: 'success', content: 'Incident #1 acknowledged.' });
    expect(app.ctx.store.incidents.get(1)?.ackedBy).toBe(BOB.openId);
  });
});
