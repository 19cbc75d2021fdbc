/**
 * Soak: the product as a real process (`serve`) under realistic traffic for a bounded time, watching its memory
 * and event-loop lag. Around it run the Feishu emulator, the simulated cluster and the scripted LLM. Traffic:
 * a few Alertmanager bodies a second over 40 workloads (firing, repeating, resolving), Ack clicks on the cards,
 * slash commands (/status, /incidents, /help) and @mentions answered by the agent with the scripted model.
 * Every SOAK_SAMPLE_S it reads the bot's own /metrics (resident memory, event-loop lag mean and p99) and prints a line;
 * at the end it prints the least-squares slope of each over the run (the first minute, the warm-up, left out).
 *
 * Run: npm run soak   (SOAK_MINUTES=30 by default; SOAK_RATE alerts/s, default 3; SOAK_SAMPLE_S, default 10)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startClusterSimulator } from '../src/sandbox/cluster/index.js';
import { webhookBody } from '../src/sandbox/demo/alertmanager.js';
import { demoScript } from '../src/sandbox/demo/llm-script.js';
import { startFeishuEmulator } from '../src/sandbox/feishu/index.js';
import { startScriptedLlm } from '../src/sandbox/llm/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const RATE = Number(process.env.SOAK_RATE ?? 3);
const SAMPLE_S = Number(process.env.SOAK_SAMPLE_S ?? 10);
const TOKEN = 'soak-token';
const CHAT = 'oc_soak000000000000000000000000000';
const ALICE = 'ou_soak000000000000000000000000alice';

const dir = mkdtempSync(join(tmpdir(), 'nanobot-soak-'));
const app = { appId: 'cli_50a1c0ffee000001', appSecret: 'soak-secret', verificationToken: 'vt_soak' };
const feishu = await startFeishuEmulator({
  port: 0,
  host: '127.0.0.1',
  app,
  bot: { openId: 'ou_soakbot', name: 'SRE Bot' },
  users: [{ openId: ALICE, name: 'Alice' }],
  chats: [{ chatId: CHAT, name: 'soak', type: 'group', members: [ALICE] }],
});
const cluster = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig'), world: { demo: true } });
const llm = await startScriptedLlm({ port: 0, host: '127.0.0.1', script: demoScript() });

const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    PATH: process.env.PATH ?? '',
    FEISHU_APP_ID: app.appId,
    FEISHU_APP_SECRET: app.appSecret,
    FEISHU_VERIFICATION_TOKEN: app.verificationToken,
    FEISHU_DOMAIN: feishu.url,
    FEISHU_DEFAULT_CHAT_ID: CHAT,
    ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
    KUBECONFIG: join(dir, 'kubeconfig'),
    OPENAI_BASE_URL: llm.url,
    OPENAI_API_KEY: 'sk-soak',
    OPENAI_MODEL: 'scripted',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_PATH: join(dir, 'bot.db'),
    SRE_NANOBOT_CONFIG: '',
  },
});
let out = '';
const port = await new Promise<number>((done, fail) => {
  const onData = (d: Buffer) => {
    out += d.toString();
    const line = out.split('\n').find((l) => l.includes('sre-nanobot listening'));
    if (!line) return;
    child.stdout?.off('data', onData);
    child.stdout?.resume(); // keep draining the child's log
    done((JSON.parse(line) as { port: number }).port);
  };
  child.stdout?.on('data', onData);
  child.on('exit', (code) => fail(new Error(`the bot exited (${code})`)));
});
const base = `http://127.0.0.1:${port}`;
feishu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });

/** One scrape of the bot's /metrics (one, because reading resets its event-loop histogram). */
async function scrape(): Promise<(name: string) => number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return (name) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
}

let sent = 0;
let refused = 0;
let tick = 0;
const firing = new Set<number>();
async function alertTick(): Promise<void> {
  const w = tick++ % 40;
  const resolving = firing.has(w) && tick % 3 === 0;
  const body = webhookBody(
    [
      {
        labels: {
          alertname: 'KubePodCrashLooping',
          namespace: 'shop',
          pod: `svc${w}-7d9f8b6c5-x2x9q`,
          severity: 'warning',
        },
        annotations: { summary: 'Pod is crash looping.' },
        startsAt: new Date(Date.parse('2026-12-01T00:00:00Z') + w * 1000),
        ...(resolving ? { status: 'resolved' as const, endsAt: new Date() } : {}),
      },
    ],
    { groupBy: ['alertname', 'namespace'] },
  );
  if (resolving) firing.delete(w);
  else firing.add(w);
  const res = await fetch(`${base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  }).catch(() => undefined);
  await res?.arrayBuffer();
  if (res?.status === 200) sent++;
  else refused++;
}

async function peopleTick(i: number): Promise<void> {
  const cards = feishu.messages(CHAT).filter((m) => m.msgType === 'interactive');
  const card = cards[i % Math.max(1, cards.length)];
  if (card && i % 2 === 0) {
    const id = /"content":"#(\d+) ·/.exec(card.content)?.[1];
    if (id)
      await feishu
        .clickButton({ messageId: card.messageId, operator: ALICE, value: { action: 'ack', incidentId: Number(id) } })
        .catch(() => {});
  }
  const texts = ['/status', '/incidents', '/help', 'what is wrong in namespace shop?'];
  feishu.sendUserMessage({ chatId: CHAT, from: ALICE, text: texts[i % texts.length] ?? '/help', mentionBot: true });
}

const samples: { t: number; rss: number; lag: number; p99: number }[] = [];
const started = Date.now();
const end = started + MINUTES * 60_000;
const alertTimer = setInterval(() => void alertTick(), 1000 / RATE);
let p = 0;
const peopleTimer = setInterval(() => void peopleTick(p++), 2000);
console.log(`soak: ${MINUTES} min, ${RATE} alerts/s, clicks and commands every 2 s; sampling every ${SAMPLE_S} s`);
while (Date.now() < end) {
  await new Promise((r) => setTimeout(r, Math.min(SAMPLE_S * 1000, Math.max(0, end - Date.now()))));
  const metric = await scrape();
  const rss = metric('sre_nanobot_process_resident_memory_bytes') ?? 0;
  const lag = (metric('sre_nanobot_nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000;
  const mean = (metric('sre_nanobot_nodejs_eventloop_lag_mean_seconds') ?? 0) * 1000;
  const t = (Date.now() - started) / 60_000;
  samples.push({ t, rss, lag: mean, p99: lag });
  console.log(
    `t=${t.toFixed(1)} min  RSS ${(rss / 2 ** 20).toFixed(1)} MiB  event-loop lag mean ${mean.toFixed(1)} ms, p99 ${lag.toFixed(1)} ms  alerts 200 ${sent}, refused ${refused}`,
  );
}
clearInterval(alertTimer);
clearInterval(peopleTimer);

/** Least-squares slope of y over t (per minute). */
function slope(points: { t: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, p) => a + (p.t - mt) * (p.y - my), 0) / sxx;
}
const steady = samples.filter((s) => s.t >= 1);
const rssSlope = slope(steady.map((s) => ({ t: s.t, y: s.rss / 2 ** 20 })));
const lagSlope = slope(steady.map((s) => ({ t: s.t, y: s.lag })));
const first = steady[0];
const last = steady.at(-1);
console.log(
  `result: RSS slope ${rssSlope.toFixed(2)} MiB/min (${((first?.rss ?? 0) / 2 ** 20).toFixed(1)} → ${((last?.rss ?? 0) / 2 ** 20).toFixed(1)} MiB), ` +
    `event-loop lag (mean) slope ${lagSlope.toFixed(3)} ms/min (${first?.lag.toFixed(1)} → ${last?.lag.toFixed(1)} ms), ` +
    `${sent} alert bodies accepted, ${refused} refused, ${feishu.messages(CHAT).length} chat messages`,
);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await Promise.all([feishu.close(), cluster.close(), llm.close()]);
rmSync(dir, { recursive: true, force: true });
process.exitCode = refused > 0 ? 1 : 0;
