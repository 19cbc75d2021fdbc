/**
 * A bot with the web console on a loopback port, signed in through the Feishu emulator's OAuth endpoints:
 * Alice is an approver, Bob an operator and Carol a viewer; Bob is the on-call of the default route.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { incidentDeps } from '../../src/incidents/context.js';
import { openIncident } from '../../src/incidents/lifecycle.js';
import type { NewIncident } from '../../src/incidents/model.js';
import { type RunningApp, type StartOptions, startApp } from '../../src/main.js';
import type { ApprovalDecider, DecideResult } from '../../src/ports/remediation.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { ALICE, BOB, CAROL, ONCALL_CHAT, startTestEmulator } from '../helpers/feishu-emulator.js';

export { ALICE, BOB, CAROL };
export const ADMIN_TOKEN = 'console-admin-token-0123456789abcdef';

export interface Harness {
  emu: FeishuEmulator;
  app: RunningApp;
  base: string;
  dir: string;
  env: Record<string, string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  options: StartOptions = {},
  extraEnv: Record<string, string> = {},
): Promise<Harness> {
  const emu = await startTestEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-console-'));
  const yaml = join(dir, 'sre-nanobot.yaml');
  writeFileSync(
    yaml,
    [
      'people:',
      `  - { id: ${ALICE.openId}, name: Alice, roles: [approver] }`,
      `  - { id: ${BOB.openId}, name: Bob, roles: [operator] }`,
      `  - { id: ${CAROL.openId}, name: Carol, roles: [viewer] }`,
      'routes:',
      `  - { name: shop, match: ['namespace="shop"'], chat_id: ${ONCALL_CHAT}, oncall: [${BOB.openId}] }`,
    ].join('\n'),
  );
  const env: Record<string, string> = {
    FEISHU_APP_ID: emu.app.appId,
    FEISHU_APP_SECRET: emu.app.appSecret,
    FEISHU_VERIFICATION_TOKEN: emu.app.verificationToken ?? 'vt',
    FEISHU_DOMAIN: emu.url,
    FEISHU_DEFAULT_CHAT_ID: ONCALL_CHAT,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: join(dir, 'bot.db'),
    ALERTMANAGER_WEBHOOK_TOKEN: 'none',
    CONSOLE_ADMIN_TOKEN: ADMIN_TOKEN,
    SRE_NANOBOT_CONFIG: yaml,
    BOT_LOCALE: 'zh-CN',
    TZ: 'Asia/Shanghai',
    LOG_LEVEL: 'silent',
    ...extraEnv,
  };
  const boot = async (port: string) => {
    const result = loadConfig({ ...env, PORT: port });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    return startApp(result.config, {
      log: silentLogger(),
      metrics: new Metrics({ defaultMetrics: false }),
      ...options,
    });
  };
  let app = await boot('0');
  const h: Harness = {
    emu,
    app,
    base: `http://127.0.0.1:${app.address.port}`,
    dir,
    env,
    async restart() {
      const port = String(app.address.port);
      await app.stop();
      app = await boot(port);
      h.app = app;
    },
    async stop() {
      await app.stop();
      await emu.close();
    },
  };
  return h;
}

/** Opens an incident as the alert intake would (timeline `opened`, events published after commit). */
export function seedIncident(h: Harness, input: Partial<NewIncident> = {}) {
  const deps = incidentDeps(h.app.ctx);
  return deps.store.tx(() =>
    openIncident(deps, {
      groupKey: `g-${Math.random()}`,
      title: 'CrashLoopBackOff: checkout',
      priority: 'P1',
      chatId: null,
      namespace: 'shop',
      cluster: 'prod-1',
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'critical' },
      resources: [],
      ...input,
    }),
  );
}

/**
 * Signs in through the emulator's OAuth pages with plain HTTP (no browser): login → Feishu consent → grant →
 * callback. Returns the session cookie (`name=value`).
 */
export async function signIn(h: Harness, openId: string): Promise<string> {
  const start = await fetch(`${h.base}/console/login/feishu?next=/console`, { redirect: 'manual' });
  const stateCookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const authorize = new URL(start.headers.get('location') as string);
  const grant = new URL('/open-apis/authen/v1/authorize/grant', authorize);
  for (const [k, v] of authorize.searchParams) if (k !== 'response_type') grant.searchParams.set(k, v);
  grant.searchParams.set('user', openId);
  const granted = await fetch(grant, { redirect: 'manual' });
  const callback = granted.headers.get('location') as string;
  const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
  const session = done.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith('sre_console='));
  if (!session || session === 'sre_console=')
    throw new Error(`sign-in failed: ${done.status} ${done.headers.get('location')}`);
  return session;
}

/** The CSRF token embedded in a page the session reads. */
export async function csrfOf(h: Harness, cookie: string): Promise<string> {
  const html = await (await fetch(`${h.base}/console`, { headers: { cookie } })).text();
  const m = /data-csrf="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

/** A decider that records calls and decides in the store (as the approval engine would), announcing it. */
export function fakeDecider(getApp: () => RunningApp): ApprovalDecider & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async decide(id, actor, decision, reason): Promise<DecideResult> {
      calls.push(`${id}:${actor.openId}:${decision}`);
      const { store, clock } = getApp().ctx;
      const status = decision === 'approve' ? 'approved' : 'rejected';
      const ok = store.tx(() => {
        const changed = store.approvals.decide(id, status, actor.openId, clock.now(), reason ?? null);
        if (changed) store.emit({ type: 'approval.decided', approvalId: id });
        return changed;
      });
      return ok
        ? { ok: true, status, votes: 1, needed: 1 }
        : { ok: false, code: 'already_decided', reason: `approval ${id} was already decided` };
    },
  };
}

const FIXTURE = new URL('../fixtures/alertmanager/firing-grouped-by-namespace-3-alerts.json', import.meta.url);

/** Posts an Alertmanager webhook with one firing alert per entry, and waits until the bot applied it. */
export async function postAlerts(
  h: Harness,
  alerts: { alertname: string; namespace: string; severity: string; pod?: string; summary?: string }[],
): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const template = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const first = template.alerts[0];
  const body = {
    ...template,
    groupKey: `{}:{namespace="${alerts[0]?.namespace}"}`,
    groupLabels: { namespace: alerts[0]?.namespace },
    commonLabels: {},
    commonAnnotations: {},
    alerts: alerts.map((a) => {
      const labels = {
        alertname: a.alertname,
        namespace: a.namespace,
        severity: a.severity,
        cluster: 'prod-1',
        ...(a.pod ? { pod: a.pod } : {}),
      };
      return {
        ...first,
        status: 'firing',
        labels,
        annotations: { summary: a.summary ?? `${a.alertname} in ${a.namespace}` },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        fingerprint: createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16),
      };
    }),
  };
  const r = await fetch(`${h.base}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`webhook refused: ${r.status} ${await r.text()}`);
  await h.app.intake.idle();
}
