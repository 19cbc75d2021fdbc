/**
 * The sandbox: the whole product on one machine with nothing external. It starts the simulated cluster (writing
 * a kubeconfig for kubectl), the Feishu emulator (with the sandbox chat page), the scripted LLM (unless a real model is configured) and the bot itself, configured as if
 * for a real tenant but pointed at the local pieces, then plays the demo scenario. `stop()` takes everything down
 * in reverse order. The user's configuration file is layered over the demo's (./user-config.ts): its routes,
 * people and settings win, the chats it names are added to the emulator.
 *
 * Only src/main.ts imports this module; it hands in `startApp` so the sandbox runs exactly the bot that
 * `serve` runs.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { type Config, formatProblems, loadConfig } from '../config.js';
import type { Logger } from '../shared/log.js';
import { BreakMenu } from './alerting/breakage.js';
import { type AlertingMode, type AlertTiming, type LiveAlerting, prepareAlerting } from './alerting/index.js';
import { SANDBOX_CLUSTER } from './alerting/real-config.js';
import { type ClusterSimulator, startClusterSimulator } from './cluster/index.js';
import { demoScript } from './demo/llm-script.js';
import { DEMO_WORKLOAD, type DemoResult, runDemo } from './demo/scenario.js';
import { type FeishuEmulator, startFeishuEmulator } from './feishu/index.js';
import { createIdentity, type SandboxIdentity } from './identity.js';
import { SCRIPTED_MODEL, type ScriptedLlm, startScriptedLlm } from './llm/index.js';
import { mountBreakMenu } from './page/break-menu.js';
import { mountSandboxPage } from './page/index.js';
import { withPortFallback } from './ports.js';
import { layerUserConfig, readUserConfig } from './user-config.js';

/** What the sandbox needs of a started bot (main.ts's RunningApp). */
export interface SandboxBot {
  address: AddressInfo;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  /** The caller's environment: model, locale, log level and port settings are taken from it. */
  env: Record<string, string | undefined>;
  startApp: (config: Config) => Promise<SandboxBot>;
  /** Where the database, kubeconfig and generated config go (default `data/sandbox`). */
  dataDir?: string;
  host?: string;
  /**
   * Listen ports; 0 picks a free one. The bot defaults to PORT, else 3000, the Feishu emulator and its page to 3001,
   * the cluster's API server to 3002; a default port already in use falls back to a free one.
   */
  ports?: { bot?: number; feishu?: number; cluster?: number; llm?: number };
  /** Play the demo scenario after start (default true). */
  demo?: boolean;
  /**
   * Where alerts come from (default `builtin`): the in-process kube-prometheus rules and Alertmanager-like
   * dispatcher, `real` Prometheus and Alertmanager processes (`--real-alerting`), or `off`.
   */
  alerting?: AlertingMode | 'off';
  /** How fast the alerting runs (default: the interactive sandbox's; tests go faster). */
  alertTiming?: AlertTiming;
  log: Logger;
}

export interface RunningSandbox {
  identity: SandboxIdentity;
  config: Config;
  bot: SandboxBot;
  botUrl: string;
  feishu: FeishuEmulator;
  cluster: ClusterSimulator;
  /** The kubeconfig for kubectl and the bot. */
  kubeconfigPath: string;
  /** The chat page: every chat, its messages and cards, clickable buttons, a box to type as a user. */
  pageUrl: string;
  /** The user's configuration file layered over the demo one (undefined: none); keys of it left out. */
  userConfig: { path: string | undefined; leftOut: string[] };
  /** The scripted LLM; undefined when a real model is configured. */
  llm: ScriptedLlm | undefined;
  dataDir: string;
  /** Live alerting from the cluster's state (undefined when off). */
  alerting: LiveAlerting | undefined;
  /** The page's "break something" menu and its "heal". */
  breakMenu: BreakMenu;
  /** Settles when the demo scenario has played (undefined when the demo is off). */
  demo: Promise<DemoResult> | undefined;
  /** What to print for a person at the terminal. */
  banner(): string;
  stop(): Promise<void>;
}

/** Keys of the caller's environment the sandbox passes on to the bot. */
const PASSED_ON = [
  'BOT_LOCALE',
  'LOG_LEVEL',
  'TZ',
  'OPENAI_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_MODEL',
  'PROMETHEUS_URL',
];

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { env, log } = options;
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? 'data/sandbox');
  const identity = createIdentity();
  const stack = new Stack(log);
  const user = readUserConfig(env);
  if (!user.ok) throw new Error(formatProblems(user.problems));
  const layered = layerUserConfig(identity, user.layer);

  try {
    mkdirSync(dataDir, { recursive: true });
    // The emulated chats live in memory, so the bot's database starts fresh with them.
    const databasePath = join(dataDir, 'sre-nanobot.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
    const configPath = join(dataDir, 'sre-nanobot.yaml');
    // The simulated cluster is named as its alerts name it (their `cluster` label), so an incident's cluster is
    // one the bot knows: diagnoses, tools and runbooks all reach it by that name.
    const kubeconfigFile = join(dataDir, 'kubeconfig');
    writeFileSync(
      configPath,
      `${layered.yaml}clusters:\n  - name: ${SANDBOX_CLUSTER}\n    kubeconfig: ${JSON.stringify(kubeconfigFile)}\n`,
    );

    let config: Config | undefined;
    const realModel = Boolean(env.OPENAI_MODEL && (env.OPENAI_BASE_URL || env.OPENAI_API_KEY));
    let llm: ScriptedLlm | undefined;
    if (!realModel) {
      const scripted = await startScriptedLlm({ port: options.ports?.llm ?? 0, host, script: demoScript() });
      stack.push('scripted LLM', () => scripted.close());
      llm = scripted;
    }

    const kubeconfigPath = kubeconfigFile;
    const cluster = await withPortFallback(options.ports?.cluster, 3002, (port) =>
      startClusterSimulator({ port, kubeconfigPath, world: { demo: true } }),
    );
    stack.push('cluster simulator', () => cluster.close());
    const breakMenu = new BreakMenu(cluster);
    const alertingMode = options.alerting ?? 'builtin';
    const prepared =
      alertingMode === 'off'
        ? undefined
        : await prepareAlerting({
            mode: alertingMode,
            cluster,
            token: identity.alertmanagerToken,
            host,
            env,
            log: log.child({ component: 'sandbox-alerting' }),
            ...(options.alertTiming ? { timing: options.alertTiming } : {}),
          });
    let alerting: LiveAlerting | undefined;
    stack.push('alerting', () => (alerting ? alerting.stop() : (prepared?.abandon() ?? Promise.resolve())));

    const people = [
      ...identity.people.map((p) => ({ openId: p.openId, name: p.name, email: p.email })),
      ...layered.users,
    ];
    // Events are delivered once the bot listens (its port may be chosen at start).
    const feishu = await withPortFallback(options.ports?.feishu, 3001, (port) =>
      startFeishuEmulator({
        port,
        host,
        app: identity.app,
        bot: identity.bot,
        users: people,
        chats: [...identity.chats, ...layered.chats],
        plugins: [
          (router) =>
            mountSandboxPage(router, () => ({
              breakMenu: true,
              ...(config ? { timeZone: config.timezone, locale: config.locale } : {}),
            })),
          (router) => mountBreakMenu(router, breakMenu),
        ],
      }),
    );
    stack.push('Feishu emulator', () => feishu.close());

    const botEnv: Record<string, string | undefined> = {
      ...Object.fromEntries(PASSED_ON.map((k) => [k, env[k]])),
      FEISHU_APP_ID: identity.app.appId,
      FEISHU_APP_SECRET: identity.app.appSecret,
      FEISHU_ENCRYPT_KEY: identity.app.encryptKey,
      FEISHU_VERIFICATION_TOKEN: identity.app.verificationToken,
      FEISHU_DOMAIN: feishu.url,
      FEISHU_EVENT_MODE: 'webhook',
      FEISHU_DEFAULT_CHAT_ID: identity.demoChat.chatId,
      KUBECONFIG: kubeconfigPath,
      HOST: host,
      DATABASE_PATH: databasePath,
      ALERTMANAGER_WEBHOOK_TOKEN: identity.alertmanagerToken,
      ...(prepared ? { ALERTMANAGER_URL: prepared.alertmanagerUrl } : {}),
      ...(prepared?.prometheusUrl ? { PROMETHEUS_URL: prepared.prometheusUrl } : {}),
      SRE_NANOBOT_CONFIG: configPath,
      ...(llm ? { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'sk-sandbox', OPENAI_MODEL: SCRIPTED_MODEL } : {}),
    };
    const startBot = (port: string) => {
      const loaded = loadConfig({ ...botEnv, PORT: port });
      if (!loaded.ok) throw new Error(`sandbox configuration is invalid:\n${formatProblems(loaded.problems)}`);
      config = loaded.config;
      return options.startApp(loaded.config);
    };
    const requestedPort = options.ports?.bot ?? (env.PORT?.trim() || undefined);
    const bot =
      requestedPort === undefined
        ? await withPortFallback(undefined, 3000, (port) => startBot(String(port)))
        : await startBot(String(requestedPort));
    if (!config) throw new Error('sandbox: the bot started without a configuration');
    stack.push('bot', () => bot.stop());
    const botUrl = `http://${host}:${bot.address.port}`;
    feishu.setDelivery({ mode: 'webhook', eventsUrl: `${botUrl}/feishu/events`, cardUrl: `${botUrl}/feishu/card` });

    alerting = prepared ? await prepared.start(botUrl) : undefined;

    const demo =
      options.demo === false || !alerting
        ? undefined
        : runDemo({
            alerting,
            breakIt: (name, target) => breakMenu.breakIt(name, target),
            signal: stack.signal,
            log: log.child({ component: 'sandbox-demo' }),
          });
    // The demo reports its own outcome; a failure must not become an unhandled rejection.
    demo?.catch(() => {});

    const running: RunningSandbox = {
      identity,
      config: config as Config,
      bot,
      botUrl,
      feishu,
      cluster,
      kubeconfigPath,
      pageUrl: `${feishu.url}/sandbox`,
      userConfig: { path: user.layer.path, leftOut: user.layer.leftOut },
      llm,
      dataDir,
      alerting,
      breakMenu,
      demo,
      banner: () => banner(running),
      stop: () => stack.stopAll(),
    };
    return running;
  } catch (err) {
    await stack.stopAll();
    throw err;
  }
}

/** Started pieces, stopped in reverse order; each stop runs once even if several callers ask. */
class Stack {
  private readonly items: { name: string; stop: () => Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;
  private readonly abort = new AbortController();
  /** Aborted when the stack starts stopping: background work (the demo) ends with it. */
  readonly signal = this.abort.signal;

  constructor(private readonly log: Logger) {}

  push(name: string, stop: () => Promise<void>): void {
    this.items.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      for (const item of this.items.splice(0).reverse()) {
        try {
          await item.stop();
        } catch (err) {
          this.log.warn({ err, piece: item.name }, 'sandbox: error while stopping');
        }
      }
    })();
    return this.stopping;
  }
}

function relativePath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function configLine(c: RunningSandbox['userConfig']): string {
  if (!c.path) return 'demo only (set SRE_NANOBOT_CONFIG to try your routes and people here)';
  const leftOut = c.leftOut.length ? `; ${c.leftOut.join(' and ')} left out (the simulated cluster stands in)` : '';
  return `${relativePath(c.path)} layered over the demo: its routes, people and settings win${leftOut}`;
}

function alertingLines(s: RunningSandbox): string[] {
  const a = s.alerting;
  if (!a) return ['  Alerting       off'];
  if (a.mode === 'real')
    return [
      `  Prometheus     ${a.prometheusUrl}  (kube-prometheus rules over the simulated cluster)`,
      `  Alertmanager   ${a.alertmanagerUrl}  (routes to the bot; the card's Silence creates silences here)`,
    ];
  return [
    `  Alerting       kube-prometheus rules evaluated in process; silences at ${a.alertmanagerUrl}/api/v2/silences`,
    '                 (run `sre-nanobot sandbox --real-alerting` to use a real Prometheus and Alertmanager)',
  ];
}

function banner(s: RunningSandbox): string {
  const lines = [
    'sre-nanobot sandbox is running: a local Feishu, cluster and model; nothing leaves this machine.',
    '',
    `  Chat page      ${s.pageUrl}   <- open this: the incident group, cards and buttons`,
    `  Bot            ${s.botUrl}  (/healthz, /readyz, /metrics)`,
    `  Console        ${s.botUrl}/console  (sign in through the emulated Feishu login as one of the demo people)`,
    s.llm
      ? `  LLM            scripted, ${s.llm.url}  (set OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL for a real one)`
      : `  LLM            ${s.config.llm?.baseUrl ?? 'OpenAI'} (${s.config.llm?.model})`,
    `  Alertmanager   POST ${s.botUrl}/webhooks/alertmanager  with  Authorization: Bearer ${s.identity.alertmanagerToken}`,
    ...alertingLines(s),
    `  Cluster        KUBECONFIG=${relativePath(s.kubeconfigPath)} kubectl get pods -A   (API server ${s.cluster.url})`,
    `  Feishu         emulated Open Platform at ${s.feishu.url} (app ${s.identity.app.appId})`,
    `  Data           ${s.dataDir}`,
    `  Config         ${configLine(s.userConfig)}`,
    '',
    `Demo: ${DEMO_WORKLOAD.namespace}/${DEMO_WORKLOAD.deployment} starts crash-looping; KubePodCrashLooping fires about 15 s later`,
    'and the incident card appears on the chat page. Break more from the page\'s "Break something" menu; "Heal" puts',
    'everything back and the alerts resolve. Or heal by hand:',
    `  KUBECONFIG=${relativePath(s.kubeconfigPath)} kubectl rollout undo deployment/checkout -n shop`,
    '',
    'To connect a real Feishu tenant instead, set these three and run `npm start` again:',
    '  FEISHU_APP_ID=cli_...  FEISHU_APP_SECRET=...  ALERTMANAGER_WEBHOOK_TOKEN=...',
    '',
    'Press Ctrl-C to stop.',
  ];
  return lines.join('\n');
}
