/**
 * kill -9 of the bot process during a runbook run: `/run` in the chat, Approve clicked in the emulator, and the
 * process killed either the moment the approved run starts (before its write) or the moment its write has
 * changed the cluster (whether or not the engine has recorded the step done by then: a real crash does not
 * choose). After the restart the run ends, exactly one scale write reached the cluster (counted by a
 * recorder in front of it), and the run card's thread was told the run was resumed and how it ended.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ALICE, BOB, ONCALL_CHAT, startTestEmulator } from '../helpers/feishu-emulator.js';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy.js';
import { type FaultBot, faultBot, until } from './bot-under-fault.js';

interface RunRow {
  id: string;
  state: string;
  data: string;
}

describe('kill -9 during a runbook run', () => {
  let emu: FeishuEmulator;
  let sim: ClusterSimulator;
  let dir: string;
  let proxy: RecordingProxy;
  const bots: FaultBot[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nanobot-kill-run-'));
    sim = await startClusterSimulator({ world: { seed: 7, tickMs: 200 } });
    // The bot reaches the cluster through a recorder, so the test counts the writes that arrived.
    proxy = await startRecordingProxy(sim.url);
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigYaml(proxy.url));
    writeFileSync(
      join(dir, 'sre-nanobot.yaml'),
      `people:
  - { id: ${ALICE.openId}, roles: [operator] }
  - { id: ${BOB.openId}, roles: [approver] }
`,
    );
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    for (const b of bots) await b.stop();
    await emu?.close();
    await proxy?.close();
    await sim?.close();
  });

  // biome-ignore lint/suspicious/noExplicitAny: reading a simulator object
  const replicas = (name: string) => (sim.store.get('Deployment', 'shop', name) as any).spec.replicas as number;
  const cards = () => emu.messages(ONCALL_CHAT).filter((m) => m.sender.type === 'bot' && m.msgType === 'interactive');

  const points: { when: string; deployment: string; at: (x: { bot: FaultBot; before: number }) => boolean }[] = [
    {
      when: 'the approved run has started, before its write',
      deployment: 'cart',
      at: ({ bot }) => bot.query<RunRow>('SELECT id, state, data FROM runbook_runs').some((r) => r.state === 'running'),
    },
    {
      when: 'its write has changed the cluster',
      deployment: 'checkout',
      at: ({ before }) => replicas('checkout') === before + 1,
    },
  ];
  for (const point of points) {
    it(`killed when ${point.when}: after the restart no write step runs twice and the thread is told`, async () => {
      const bot = faultBot(emu, {
        KUBECONFIG: join(dir, 'kubeconfig'),
        SRE_NANOBOT_CONFIG: join(dir, 'sre-nanobot.yaml'),
        BOT_LOCALE: 'en-US',
      });
      bots.push(bot);
      const start = async () => {
        const url = await bot.start();
        emu.setDelivery({ mode: 'webhook', eventsUrl: `${url}/feishu/events`, cardUrl: `${url}/feishu/card` });
      };
      const runs = () => bot.query<RunRow>('SELECT id, state, data FROM runbook_runs');
      const name = point.deployment;
      const arrived = () =>
        proxy.requests.filter(
          (r) =>
            r.method === 'PATCH' &&
            r.path.startsWith(`/apis/apps/v1/namespaces/shop/deployments/${name}`) &&
            !r.path.includes('dryRun'),
        );
      const writes = () =>
        bot
          .query<{ detail: string }>(
            "SELECT detail FROM audit_log WHERE action = 'tool:k8s.workload_scale' AND decision = 'allow'",
          )
          .filter((r) => JSON.parse(r.detail).dryRun !== true);
      await start();
      const before = replicas(name);
      const seen = cards().length;
      emu.sendUserMessage({
        chatId: ONCALL_CHAT,
        from: ALICE.openId,
        text: `/run deployment-scale namespace=shop deployment=${name} replicas=${before + 1} previous_replicas=${before}`,
        mentionBot: true,
      });
      await until('the approval card', () =>
        cards()
          .slice(seen)
          .some((m) => m.content.includes('"approve"')),
      );
      const approval = cards()
        .slice(seen)
        .find((m) => m.content.includes('"approve"'));
      const approvalId = /"approvalId":"([^"]+)"/.exec(approval?.content ?? '')?.[1];
      expect(approvalId).toBeDefined();
      expect(writes()).toHaveLength(0);
      expect(arrived()).toHaveLength(0);

      const killed = bot.killWhen(() => point.at({ bot, before }), 30_000);
      // The process may die before it answers the click; the decision is committed before the run moves.
      await emu.clickButton({
        messageId: approval?.messageId ?? '',
        operator: BOB.openId,
        value: { action: 'approve', approvalId },
      });
      await killed;
      const atKill = runs()[0]?.state;
      expect(['running', 'verifying', 'succeeded']).toContain(atKill);

      await start();
      await until(
        'the run to end after the restart',
        () => ['succeeded', 'failed', 'interrupted'].includes(runs()[0]?.state ?? ''),
        60_000,
      );
      // Exactly one write reached the cluster; the audit has it at most once (a kill between the API's answer
      // and the audit commit leaves the interrupted run's own audit row saying the step was under way).
      expect(arrived()).toHaveLength(1);
      expect(writes().length).toBeLessThanOrEqual(1);
      expect(replicas(name)).toBe(before + 1);
      await until(
        'the thread to be told how the run ended',
        () => {
          const said = emu
            .messages(ONCALL_CHAT)
            .filter((m) => m.parentId === approval?.messageId)
            .map((m) => m.content)
            .join('\n');
          return /is done and verified|not run again|interrupted|failed/.test(said);
        },
        30_000,
      );
      const said = emu
        .messages(ONCALL_CHAT)
        .filter((m) => m.parentId === approval?.messageId)
        .map((m) => m.content)
        .join('\n');
      if (atKill !== 'succeeded') expect(said).toMatch(/after a restart|not run again|interrupted/i);
      expect(bot.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'runbook.run'")[0]?.n).toBe(
        1,
      );
    }, 120_000);
  }
});
