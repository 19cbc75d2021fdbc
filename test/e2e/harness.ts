/**
 * The end-to-end world: a real Prometheus and a real Alertmanager (Debian's packages) beside the whole sandbox
 * — the cluster simulator, the Feishu emulator, the scripted LLM and the bot — started once per file with fast
 * alert timing. Prometheus scrapes the simulator with the kube-prometheus rules; Alertmanager notifies the bot
 * through a recording relay, so a test sees every notification exactly as the bot did.
 *
 * When the binaries are missing the suite is skipped with a message, except under CI, where it fails.
 *
 * Adding a scenario: break the cluster (`e2e.sandbox.breakMenu.breakIt(...)` or kubectl with
 * `e2e.sandbox.kubeconfigPath`), wait for the card with `e2e.card(...)`, click with `e2e.click(...)`, and wait
 * for the next state with `e2e.until(...)`. Every wait polls with a deadline; none sleeps a fixed time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from '../../src/main.js';
import { FAST_TIMING, type Notification } from '../../src/sandbox/alerting/index.js';
import { findRealBinaries } from '../../src/sandbox/alerting/real-stack.js';
import type { StoredMessage } from '../../src/sandbox/feishu/types.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

const found = findRealBinaries(process.env);
/** Why the e2e suite cannot run here (undefined: it can). Under CI a missing binary is a failure, not a skip. */
export const skipReason = found.ok ? undefined : found.message;
if (skipReason && process.env.CI) throw new Error(`e2e under CI: ${skipReason}`);
if (skipReason) console.warn(`e2e skipped: ${skipReason}`);

/** Alertmanager repeats every few seconds here, so the bot's Watchdog timeout can be short. */
export const E2E_TIMING = { ...FAST_TIMING, repeatIntervalMs: 4_000 };
export const WATCHDOG_TIMEOUT_S = 12;

export interface E2E {
  sandbox: RunningSandbox;
  chatId: string;
  /** Alice: on-call admin and approver of the demo configuration. */
  alice: string;
  until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms?: number): Promise<T>;
  cards(): StoredMessage[];
  /** The one card whose content matches, once it does. */
  card(what: string, test: (content: string) => boolean, ms?: number): Promise<StoredMessage>;
  /** Clicks the card's button whose callback value has `action` (and matches `extra`), as `operator`. */
  click(message: StoredMessage, action: string, operator?: string): ReturnType<RunningSandbox['feishu']['clickButton']>;
  notifications(): Notification[];
  alertmanager<T>(path: string): Promise<T>;
  /** The running bot (its store, engine and diagnoser), for what a chat cannot show: audit rows, run states. */
  app(): RunningApp;
  /** Clicks the first button whose callback value satisfies `test`, as `operator`. */
  clickWhere(
    message: StoredMessage,
    test: (value: Record<string, unknown>) => boolean,
    operator?: string,
  ): ReturnType<RunningSandbox['feishu']['clickButton']>;
  stop(): Promise<void>;
}

function buttonValues(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(buttonValues);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own =
    o.type === 'callback' && o.value && typeof o.value === 'object' ? [o.value as Record<string, unknown>] : [];
  return [...own, ...Object.values(o).flatMap(buttonValues)];
}

export async function startE2E(): Promise<E2E> {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-e2e-'));
  const userConfig = join(dir, 'user.yaml');
  writeFileSync(userConfig, `watchdog_timeout: ${WATCHDOG_TIMEOUT_S}s\n`);
  let running: RunningApp | undefined;
  const sandbox = await startSandbox({
    env: { ...process.env, BOT_LOCALE: 'en-US', SRE_NANOBOT_CONFIG: userConfig, PROMETHEUS_URL: undefined },
    dataDir: join(dir, 'data'),
    ports: { bot: 0, feishu: 0, cluster: 0, llm: 0 },
    demo: false,
    alerting: 'real',
    alertTiming: E2E_TIMING,
    log: silentLogger(),
    startApp: async (config) => {
      running = await startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
      return running;
    },
  });
  const chatId = sandbox.identity.demoChat.chatId;
  const alice = sandbox.identity.people[0]?.openId ?? '';
  const alerting = sandbox.alerting;
  if (!alerting) throw new Error('the sandbox started without alerting');

  const until: E2E['until'] = async (what, probe, ms = 60_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined && v !== false) return v as never;
      if (Date.now() > deadline) {
        const last = alerting
          .notifications()
          .slice(-5)
          .map((n) => `${n.status} ${n.body.status} ${n.body.groupKey} ×${n.body.alerts.length}`);
        throw new Error(`timed out after ${ms} ms waiting for ${what}; last notifications:\n${last.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const cards = () => sandbox.feishu.messages(chatId).filter((m) => m.msgType === 'interactive');
  return {
    sandbox,
    chatId,
    alice,
    until,
    cards,
    card: (what, test, ms) =>
      until(
        what,
        () => {
          const hits = cards()
            .map((m) => sandbox.feishu.message(m.messageId) ?? m)
            .filter((m) => test(m.content));
          return hits.length === 1 ? hits[0] : undefined;
        },
        ms,
      ),
    click: (message, action, operator = alice) => {
      const value = buttonValues(JSON.parse(sandbox.feishu.message(message.messageId)?.content ?? '{}')).find(
        (v) => v.action === action,
      );
      if (!value) throw new Error(`no ${action} button on the card ${message.messageId}`);
      return sandbox.feishu.clickButton({ messageId: message.messageId, operator, value });
    },
    clickWhere: (message, test, operator = alice) => {
      const value = buttonValues(JSON.parse(sandbox.feishu.message(message.messageId)?.content ?? '{}')).find(test);
      if (!value) throw new Error(`no matching button on the card ${message.messageId}`);
      return sandbox.feishu.clickButton({ messageId: message.messageId, operator, value });
    },
    app: () => {
      if (!running) throw new Error('the bot is not running');
      return running;
    },
    notifications: () => alerting.notifications(),
    alertmanager: async (path) => (await (await fetch(`${alerting.alertmanagerUrl}${path}`)).json()) as never,
    stop: () => sandbox.stop(),
  };
}
