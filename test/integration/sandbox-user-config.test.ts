/**
 * The sandbox with the user's own configuration file: the file's routes, people and settings are layered over
 * the demo's, every chat the file names appears as a group chat, and an alert the file routes lands there.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/main.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

const TEAM_CHAT = 'oc_team_shop_payments';
const USER_YAML = `
production_namespaces: ['shop']
correlation_window: 20m
card_refresh_delay: 0
people:
  - { id: ou_sandbox0000000000000000000carol, name: Carol (lead), roles: [admin] }
  - { id: dave@example.com, name: Dave, roles: [operator] }
routes:
  - name: shop team
    match: ['namespace="shop"']
    chat_id: ${TEAM_CHAT}
    oncall: [dave@example.com]
clusters:
  - { name: prod-eu, context: prod-eu }
`;

const startOptions = (env: Record<string, string>, dataDir: string) => ({
  env,
  dataDir,
  ports: { bot: 0, feishu: 0, cluster: 0, llm: 0 },
  demo: false,
  log: silentLogger(),
  startApp: (config: Parameters<typeof startApp>[0]) =>
    startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) }),
});

describe('sandbox with the user’s configuration file', () => {
  let sandbox: RunningSandbox;
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-sandbox-user-'));
  const file = join(dir, 'mine.yaml');

  beforeAll(async () => {
    writeFileSync(file, USER_YAML);
    sandbox = await startSandbox(startOptions({ SRE_NANOBOT_CONFIG: file, BOT_LOCALE: 'en-US' }, join(dir, 'data')));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('runs the bot with the file’s settings, routes first, people from the file winning', () => {
    const f = sandbox.config.file;
    expect(f.correlation_window).toBe(20 * 60_000);
    expect(f.production_namespaces).toEqual(['shop']);
    expect(f.routes.map((r) => r.chat_id)).toEqual([TEAM_CHAT, sandbox.identity.demoChat.chatId]);
    const carol = f.people.filter((p) => p.id === 'ou_sandbox0000000000000000000carol');
    expect(carol).toEqual([{ id: 'ou_sandbox0000000000000000000carol', name: 'Carol (lead)', roles: ['admin'] }]);
    expect(f.people.map((p) => p.id)).toContain('dave@example.com');
    expect(f.people.map((p) => p.id)).toContain(sandbox.identity.people[0]?.openId);
    // The file's clusters would reach outside the machine: only the simulated cluster stands, named as its alerts name it.
    expect(f.clusters).toEqual([{ name: 'sandbox', kubeconfig: sandbox.kubeconfigPath, in_cluster: false }]);
    expect(sandbox.config.kube.kubeconfig).toBe(sandbox.kubeconfigPath);
  });

  it('says at start which file it layered and what it left out', () => {
    const line =
      sandbox
        .banner()
        .split('\n')
        .find((l) => l.includes('Config')) ?? '';
    expect(line).toContain('mine.yaml');
    expect(line).toMatch(/clusters left out/);
  });

  it('shows the chat the file routes to, with the file’s people in it, and posts the routed alert there', async () => {
    const state = (await (await fetch(`${sandbox.feishu.url}/sandbox/api/state`)).json()) as {
      chats: { chatId: string; name: string }[];
      users: { openId: string; name: string }[];
    };
    expect(state.chats.find((c) => c.chatId === TEAM_CHAT)?.name).toContain('shop team');
    expect(state.users.map((u) => u.name)).toContain('Dave');

    const body = readFileSync(
      new URL('../fixtures/alertmanager/firing-single-KubePodCrashLooping.json', import.meta.url),
      'utf8',
    );
    const res = await fetch(`${sandbox.botUrl}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.identity.alertmanagerToken}` },
      body,
    });
    expect(res.status).toBe(200);
    let cards = sandbox.feishu.messages(TEAM_CHAT).filter((m) => m.msgType === 'interactive');
    for (let i = 0; i < 100 && cards.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      cards = sandbox.feishu.messages(TEAM_CHAT).filter((m) => m.msgType === 'interactive');
    }
    expect(cards).toHaveLength(1);
    expect(cards[0]?.content).toContain('KubePodCrashLooping');
    expect(sandbox.feishu.messages(sandbox.identity.demoChat.chatId)).toEqual([]);
  });
});

describe('sandbox with a broken configuration file', () => {
  it('refuses to start, naming the user’s file and every problem in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-sandbox-user-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, "production_namespaces: ['prod[']\nreports: { daily: 'daily' }\n");
    const started = startSandbox(startOptions({ SRE_NANOBOT_CONFIG: file }, join(dir, 'data')));
    await expect(started).rejects.toThrow(/Configuration has 2 problem\(s\)/);
    await expect(started).rejects.toThrow(/broken\.yaml: production_namespaces\[0\]: invalid regular expression/);
  });
});
