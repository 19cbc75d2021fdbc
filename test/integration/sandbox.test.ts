import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, main, startApp } from '../../src/main.js';
import { FAST_TIMING } from '../../src/sandbox/alerting/index.js';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

/** The callback values of every button in a card JSON document. */
function buttonValues(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(buttonValues);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own =
    o.type === 'callback' && o.value && typeof o.value === 'object' ? [o.value as Record<string, unknown>] : [];
  return [...own, ...Object.values(o).flatMap(buttonValues)];
}

describe('sandbox', () => {
  let sandbox: RunningSandbox;
  const dataDir = mkdtempSync(join(tmpdir(), 'nanobot-sandbox-'));

  beforeAll(async () => {
    sandbox = await startSandbox({
      env: { BOT_LOCALE: 'en-US' },
      dataDir,
      ports: { bot: 0, feishu: 0, cluster: 0, llm: 0 },
      alertTiming: FAST_TIMING,
      log: silentLogger(),
      startApp: (config) => startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) }),
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('runs the bot, configured as for a tenant but pointed at the local pieces', async () => {
    expect((await fetch(`${sandbox.botUrl}/healthz`)).status).toBe(200);
    expect(sandbox.config.mode).toBe('tenant');
    expect(sandbox.config.feishu.appId).toMatch(/^cli_[0-9a-f]{16}$/);
    expect(sandbox.config.feishu.encryptKey).toBeTruthy();
    expect(sandbox.config.feishu.verificationToken).toBeTruthy();
    expect(sandbox.config.feishu.defaultChatId).toBe(sandbox.identity.demoChat.chatId);
    expect(sandbox.config.database.path).toBe(join(dataDir, 'sre-nanobot.db'));
    expect(existsSync(join(dataDir, 'sre-nanobot.db'))).toBe(true);
    expect(sandbox.config.file.people.map((p) => p.id)).toEqual(sandbox.identity.people.map((p) => p.openId));
    expect(readFileSync(join(dataDir, 'sre-nanobot.yaml'), 'utf8')).toContain(sandbox.identity.demoChat.chatId);
  });

  it('runs the simulated cluster, which client-node reaches through the generated kubeconfig', async () => {
    expect(sandbox.config.kube.kubeconfig).toBe(join(dataDir, 'kubeconfig'));
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath);
    const pods = await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces();
    const names = pods.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    expect(names.some((n) => n.startsWith('shop/checkout-'))).toBe(true);
  });

  it('gives the bot the scripted LLM', async () => {
    expect(sandbox.llm).toBeDefined();
    expect(sandbox.config.llm?.baseUrl).toBe(sandbox.llm?.url);
    const models = (await (await fetch(`${sandbox.llm?.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0]?.id).toBe(sandbox.config.llm?.model);
  });

  it('runs the Feishu emulator with the demo chat and the sandbox page, pointed at the bot', async () => {
    expect(sandbox.config.feishu.domain).toBe(sandbox.feishu.url);
    const state = (await (await fetch(`${sandbox.feishu.url}/sandbox/api/state`)).json()) as {
      bot: { openId: string };
      chats: { chatId: string; name: string }[];
      users: { openId: string }[];
    };
    expect(state.chats.map((c) => c.chatId)).toContain(sandbox.identity.demoChat.chatId);
    expect(state.users.map((u) => u.openId)).toEqual(sandbox.identity.people.map((p) => p.openId));
    const page = await fetch(sandbox.pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('sre-nanobot sandbox');
    expect(sandbox.feishu.getDelivery()).toEqual({
      mode: 'webhook',
      eventsUrl: `${sandbox.botUrl}/feishu/events`,
      cardUrl: `${sandbox.botUrl}/feishu/card`,
    });
  });

  it('plays the demo: checkout crash-loops, the alert names that pod, and its incident card appears in the chat', {
    timeout: 120_000,
  }, async () => {
    const demo = await sandbox.demo;
    expect(demo?.injected).toContain('shop/checkout');
    const labels = demo?.alert.alerts[0]?.labels;
    expect(labels).toMatchObject({ alertname: 'KubePodCrashLooping', namespace: 'shop', container: 'checkout' });
    const pod = sandbox.cluster.store.get('Pod', 'shop', labels?.pod ?? '');
    expect(pod?.metadata.uid).toBe(labels?.uid);
    expect(JSON.stringify(pod?.status)).toContain('CrashLoopBackOff');
    expect(demo?.status).toBe(200);
    const chatId = sandbox.identity.demoChat.chatId;
    // Live alerts: KubePodNotReady on the same pods may open the incident first; the crash loop joins it.
    let cards = sandbox.feishu.messages(chatId).filter((m) => m.msgType === 'interactive');
    for (let i = 0; i < 100 && !cards[0]?.content.includes('KubePodCrashLooping'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      cards = sandbox.feishu.messages(chatId).filter((m) => m.msgType === 'interactive');
    }
    expect(cards).toHaveLength(1);
    expect(cards[0]?.sender.type).toBe('bot');
    expect(cards[0]?.content).toContain('KubePodCrashLooping');
    expect(cards[0]?.content).toContain(labels?.pod);
    // Without a Prometheus there is no graph to link to: the card leaves the link out.
    expect(demo?.alert.alerts[0]?.generatorURL).toBe('');
    expect(cards[0]?.content).not.toContain('/graph?');

    // An on-call person acknowledges on the card: a signed callback reaches the bot, and the card changes.
    const ack = buttonValues(JSON.parse(cards[0]?.content ?? '{}')).find((v) => v.action === 'ack');
    expect(ack).toBeDefined();
    const before = cards[0]?.content;
    // Carol, the demo's viewer, is refused: the toast names the role, and the card stays as it was.
    const carol = sandbox.identity.people.find((p) => p.roles.includes('viewer'))?.openId ?? '';
    const refused = await sandbox.feishu.clickButton({
      messageId: cards[0]?.messageId ?? '',
      operator: carol,
      value: ack,
    });
    expect(refused.toast?.type).toBe('error');
    expect(refused.toast?.content).toMatch(/operator/);
    expect(sandbox.feishu.message(cards[0]?.messageId ?? '')?.content).toBe(before);
    const alice = sandbox.identity.people[0]?.openId ?? '';
    const click = await sandbox.feishu.clickButton({
      messageId: cards[0]?.messageId ?? '',
      operator: alice,
      value: ack,
    });
    expect(click.error).toBeUndefined();
    expect(click.status).toBe(200);
    let after = sandbox.feishu.message(cards[0]?.messageId ?? '')?.content;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = sandbox.feishu.message(cards[0]?.messageId ?? '')?.content;
    }
    expect(after).not.toBe(before);

    // Rolling back (as `kubectl rollout undo` does) heals checkout; Alertmanager's resolved notification follows.
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath);
    const apps = kc.makeApiClient(AppsV1Api);
    const rss = await apps.listNamespacedReplicaSet({ namespace: 'shop', labelSelector: 'app=checkout' });
    const REV = 'deployment.kubernetes.io/revision';
    const [, previous] = rss.items.sort(
      (a, b) => Number(b.metadata?.annotations?.[REV]) - Number(a.metadata?.annotations?.[REV]),
    );
    const template = structuredClone(previous?.spec?.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    await apps.patchNamespacedDeployment({
      name: 'checkout',
      namespace: 'shop',
      body: [{ op: 'replace', path: '/spec/template', value: template }],
    });
    const resolved = await demo?.resolution;
    expect(resolved?.alert.status).toBe('resolved');
    expect(resolved?.alert.alerts[0]?.fingerprint).toBe(demo?.alert.alerts[0]?.fingerprint);
    expect(resolved?.status).toBe(200);
    let final = sandbox.feishu.message(cards[0]?.messageId ?? '')?.content ?? '';
    for (let i = 0; i < 200 && !/0 firing · [1-9]\d* resolved/.test(final); i++) {
      await new Promise((r) => setTimeout(r, 100));
      final = sandbox.feishu.message(cards[0]?.messageId ?? '')?.content ?? '';
    }
    expect(final).toMatch(/0 firing · [1-9]\d* resolved/);
  });

  it('prints where everything is and how to connect a real tenant', () => {
    const text = sandbox.banner();
    expect(text).toContain(sandbox.botUrl);
    expect(text).toContain(sandbox.llm?.url ?? 'missing');
    for (const key of ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'ALERTMANAGER_WEBHOOK_TOKEN']) expect(text).toContain(key);
  });

  it('uses a configured real model instead of the scripted one', async () => {
    const other = await startSandbox({
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-real', OPENAI_MODEL: 'gpt-real' },
      dataDir: mkdtempSync(join(tmpdir(), 'nanobot-sandbox-')),
      ports: { bot: 0, feishu: 0, cluster: 0 },
      demo: false,
      log: silentLogger(),
      startApp: (config) => startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) }),
    });
    try {
      expect(other.llm).toBeUndefined();
      expect(other.config.llm).toEqual({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-real', model: 'gpt-real' });
      expect(other.banner()).toContain('gpt-real');
    } finally {
      await other.stop();
    }
    await other.stop(); // idempotent
  });
});

describe('sandbox start-up failure', () => {
  it('stops what it had started when the bot cannot listen', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-sandbox-'));
    try {
      await expect(
        startSandbox({
          env: {},
          dataDir: dir,
          ports: { bot: port, feishu: 0, cluster: 0, llm: 0 },
          log: silentLogger(),
          startApp: (config) =>
            startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) }),
        }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const server = /server: (\S+)/.exec(readFileSync(join(dir, 'kubeconfig'), 'utf8'))?.[1];
      expect(server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await expect(fetch(`${server}/api`)).rejects.toThrow();
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});

describe('CLI without Feishu credentials', () => {
  it('starts the sandbox, prints the banner, and stops everything on a signal', async () => {
    const out: string[] = [];
    const err: string[] = [];
    let signal: ((s: string) => void) | undefined;
    const io: CliIo = {
      env: { PORT: '0', LOG_LEVEL: 'silent', SRE_NANOBOT_CONFIG: '' },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      onSignal: (h) => {
        signal = h;
        return () => {
          signal = undefined;
        };
      },
    };
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), 'nanobot-cli-')));
    try {
      const exit = main(['serve'], io);
      for (let i = 0; i < 200 && !signal; i++) await new Promise((r) => setTimeout(r, 50));
      expect(err.join('\n')).toContain('starting the sandbox');
      const banner = out.join('\n');
      const botUrl = /Bot\s+(http:\/\/\S+)/.exec(banner)?.[1];
      expect(botUrl).toBeDefined();
      expect((await fetch(`${botUrl}/healthz`)).status).toBe(200);
      expect(existsSync('data/sandbox/sre-nanobot.db')).toBe(true);
      signal?.('SIGINT');
      expect(await exit).toBe(0);
      await expect(fetch(`${botUrl}/healthz`)).rejects.toThrow();
    } finally {
      process.chdir(cwd);
    }
  });
});
