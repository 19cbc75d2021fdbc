/**
 * Runbook and on-call commands end to end: the real app against the Feishu emulator with a runbook engine
 * behind the launcher port — a p2p /restart, a group /scale with an @mention (the current replicas read through
 * the tools), a group command without an @mention left alone, a refusal, and an override then /oncall.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import type { RunbookLauncher } from '../../src/ports/remediation.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { ALICE, BOB, CAROL, ONCALL_CHAT, startTestEmulator, testWorld } from '../helpers/feishu-emulator.js';
import { eventually } from '../helpers/gateway-app.js';
import { FakeLauncher, fakeTools, ok } from '../unit/commands/harness.js';

const P2P_CHAT = 'oc_p2p_alice_bot';
const YAML = `
people:
  - { id: ${ALICE.openId}, roles: [operator] }
  - { id: ${BOB.openId}, roles: [admin] }
  - { id: ${CAROL.openId}, roles: [viewer] }
oncall:
  rotations:
    - { name: sre, members: [${ALICE.openId}, ${CAROL.openId}], every: weekly, start: 2026-01-05, timezone: Asia/Shanghai }
routes:
  - { name: shop, match: ['namespace="shop"'], chat_id: ${ONCALL_CHAT}, rotation: sre }
`;

let emu: FeishuEmulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
});

async function start(launcher: RunbookLauncher, tools: ReturnType<typeof fakeTools>['tools']): Promise<FeishuEmulator> {
  const world = testWorld();
  const e = await startTestEmulator({
    ...world,
    chats: [...world.chats, { chatId: P2P_CHAT, name: 'Alice', type: 'p2p', members: [ALICE.openId] }],
  });
  emu = e;
  const r = loadConfig(
    {
      FEISHU_APP_ID: e.app.appId,
      FEISHU_APP_SECRET: e.app.appSecret,
      ...(e.app.encryptKey ? { FEISHU_ENCRYPT_KEY: e.app.encryptKey } : {}),
      ...(e.app.verificationToken ? { FEISHU_VERIFICATION_TOKEN: e.app.verificationToken } : {}),
      FEISHU_DOMAIN: e.url,
      BOT_LOCALE: 'en-US',
      ALERTMANAGER_WEBHOOK_TOKEN: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'nanobot-cmd-')), 'db.sqlite'),
      LOG_LEVEL: 'silent',
      SRE_NANOBOT_CONFIG: 'sre-nanobot.yaml',
    },
    { readFile: () => YAML },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  app = await startApp(r.config, {
    log: silentLogger(),
    metrics: new Metrics({ defaultMetrics: false }),
    launcher,
    tools,
  });
  const base = `http://127.0.0.1:${app.address.port}`;
  e.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  return e;
}

const botTexts = (e: FeishuEmulator, chatId: string) =>
  e
    .messages(chatId)
    .filter((m) => m.sender.type === 'bot')
    .map((m) => (JSON.parse(m.content) as { text?: string }).text ?? m.content);

describe('runbook and on-call commands through the emulator', () => {
  it('requests runs as the person who typed, in p2p and in a group; refuses a viewer; ignores a group message without @', async () => {
    const launcher = new FakeLauncher();
    const { tools } = fakeTools({ 'k8s.resource_get': () => ok('k8s.resource_get', { spec: { replicas: 2 } }) });
    const e = await start(launcher, tools);

    e.sendUserMessage({ chatId: P2P_CHAT, from: ALICE.openId, text: '/restart deploy/web -n shop' });
    const p2p = await eventually(() => botTexts(e, P2P_CHAT).find((t) => t.includes('requested')));
    expect(p2p).toBe(
      'Runbook deployment-rollout-restart requested for shop/deployment/web (run run_1): an approver must approve it on the card.',
    );
    expect(launcher.requests[0]).toMatchObject({
      runbookId: 'deployment-rollout-restart',
      requester: { openId: ALICE.openId },
      chatId: P2P_CHAT,
      source: 'command',
    });

    e.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text: '/restart deploy/api -n shop' });
    e.sendUserMessage({
      chatId: ONCALL_CHAT,
      from: ALICE.openId,
      text: '／scale deploy/web，4 -n shop',
      mentionBot: true,
    });
    await eventually(() => botTexts(e, ONCALL_CHAT).some((t) => t.includes('deployment-scale requested')));
    expect(botTexts(e, ONCALL_CHAT)).toEqual([
      'Working on it…',
      expect.stringContaining('deployment-scale requested for shop/deployment/web'),
    ]);
    expect(launcher.requests.map((r) => [r.runbookId, r.params])).toEqual([
      ['deployment-rollout-restart', { namespace: 'shop', deployment: 'web' }],
      ['deployment-scale', { namespace: 'shop', deployment: 'web', replicas: '4', previous_replicas: '2' }],
    ]);

    e.sendUserMessage({
      chatId: ONCALL_CHAT,
      from: CAROL.openId,
      text: '/rollback deploy/web -n shop',
      mentionBot: true,
    });
    const refusal = await eventually(() => botTexts(e, ONCALL_CHAT).find((t) => t.includes('operator')));
    expect(refusal).toContain('operator');
    expect(launcher.requests).toHaveLength(2);
  });

  it('an admin overrides the rotation and /oncall names the person covering', async () => {
    const e = await start(new FakeLauncher(), fakeTools({}).tools);
    e.sendUserMessage({ chatId: ONCALL_CHAT, from: BOB.openId, text: '/oncall override me now 4h', mentionBot: true });
    await eventually(() => botTexts(e, ONCALL_CHAT).some((t) => t.startsWith('Override recorded')));
    e.sendUserMessage({ chatId: ONCALL_CHAT, from: CAROL.openId, text: '/oncall shop', mentionBot: true });
    const line = await eventually(() => botTexts(e, ONCALL_CHAT).find((t) => t.startsWith('shop: on call now')));
    expect(line).toContain(
      `on call now <at user_id="${BOB.openId}"></at> (override by <at user_id="${BOB.openId}"></at>)`,
    );
  });
});
