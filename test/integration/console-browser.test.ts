/**
 * The console in a real browser (Debian chromium through playwright-core), zh-CN: sign-in through the
 * emulator's OAuth pages, the incident list with filters, a detail page, live updates, an approval decided
 * from the console and refused for a viewer, CSV export, the admin token, and a reconnect after a restart.
 * Screenshots of every page go to /tmp/console-shots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeWithChromium, launchChromium } from '../helpers/chromium.js';
import {
  ADMIN_TOKEN,
  ALICE,
  fakeDecider,
  type Harness,
  postAlerts,
  seedIncident,
  startHarness,
} from './console-harness.js';

const SHOTS = process.env.CONSOLE_SHOTS ?? '/tmp/console-shots';
const WAIT = { timeout: 15_000 };

/** Waits until an element matched by `loc` contains `text`. */
async function contains(loc: Locator, text: string): Promise<void> {
  await loc.filter({ hasText: text }).first().waitFor(WAIT);
}

describeWithChromium('console in a browser', () => {
  vi.setConfig({ testTimeout: 40_000 });
  let h: Harness;
  let browser: Browser;
  let alice: BrowserContext;
  let page: Page;
  const decider = fakeDecider(() => h.app);

  async function signInAs(context: BrowserContext, name: string, shot?: string): Promise<Page> {
    const p = await context.newPage();
    await p.goto(`${h.base}/console/incidents`);
    await p.waitForURL(/\/console\/login/, WAIT);
    if (shot) await p.screenshot({ path: `${SHOTS}/${shot}-login.png` });
    await p.click('#feishu-login');
    await p.waitForURL(/authen\/v1\/authorize/, WAIT);
    if (shot) await p.screenshot({ path: `${SHOTS}/${shot}-feishu-consent.png` });
    await p.click(`a.who:has-text("${name}")`);
    await p.waitForURL(/\/console\/incidents$/, WAIT);
    return p;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startHarness({ approvals: decider });
    await postAlerts(h, [
      { alertname: 'KubePodCrashLooping', namespace: 'shop', severity: 'critical', pod: 'checkout-7d9f8b6c5-x2x9q' },
      { alertname: 'KubeDeploymentReplicasMismatch', namespace: 'shop', severity: 'critical' },
    ]);
    await postAlerts(h, [
      { alertname: 'KubePodNotReady', namespace: 'payments', severity: 'warning', pod: 'ledger-0' },
    ]);
    await postAlerts(h, [{ alertname: 'CPUThrottlingHigh', namespace: 'search', severity: 'info', pod: 'indexer-5' }]);
    await postAlerts(h, [{ alertname: 'KubePersistentVolumeFillingUp', namespace: 'db', severity: 'critical' }]);
    const shop = h.app.ctx.store.incidents.list({ limit: 10 }).find((i) => i.namespace === 'shop');
    if (!shop) throw new Error('no shop incident');
    const { store } = h.app.ctx;
    const now = Date.now();
    store.tx(() => {
      store.timeline.add(
        shop.id,
        {
          kind: 'diagnosed',
          detail: {
            findings: [
              {
                pattern: 'pod.crash_loop',
                cause: '容器 checkout 启动后立即退出（exit code 1）：缺少配置项 DATABASE_URL',
                resource: { cluster: 'prod-1', kind: 'Pod', namespace: 'shop', name: 'checkout-7d9f8b6c5-x2x9q' },
              },
            ],
          },
        },
        'system',
        now,
      );
      store.timeline.add(
        shop.id,
        {
          kind: 'investigated',
          detail: {
            summary:
              '最近一次发布（revision 42）删除了 ConfigMap checkout-config 中的 DATABASE_URL；回滚到 revision 41 可恢复。',
          },
        },
        'llm',
        now,
      );
      store.runbookRuns.create(
        {
          id: 'run-demo-1',
          runbookId: 'deployment-rollback',
          incidentId: shop.id,
          params: { deployment: 'checkout', revision: '41' },
          state: 'succeeded',
          requestedBy: ALICE.openId,
        },
        now,
      );
      store.timeline.add(
        shop.id,
        { kind: 'run_started', detail: { runId: 'run-demo-1', runbookId: 'deployment-rollback' } },
        ALICE.openId,
        now,
      );
      store.timeline.add(
        shop.id,
        { kind: 'step_done', detail: { runId: 'run-demo-1', stepId: 'rollback', outcome: 'ok' } },
        'runbook:run-demo-1',
        now,
      );
      store.timeline.add(shop.id, { kind: 'verified', detail: { runId: 'run-demo-1' } }, 'runbook:run-demo-1', now);
      store.approvals.create(
        {
          id: 'ap-browser-1',
          runId: null,
          incidentId: shop.id,
          action: 'runbook:deployment-scale',
          params: { deployment: 'checkout', replicas: 6, diff: '  spec:\n-   replicas: 3\n+   replicas: 6' },
          requestedBy: ALICE.openId,
          chatId: null,
          expiresAt: now + 15 * 60_000,
        },
        now,
      );
      store.emit({ type: 'approval.requested', approvalId: 'ap-browser-1' });
    });
    browser = await launchChromium();
    alice = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    page = await signInAs(alice, 'Alice', '00');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('signs in through Feishu and lands on the page asked for, in Chinese', async () => {
    await contains(page.locator('h1'), '事件');
    expect(await page.locator('.top .who').textContent()).toContain('Alice');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.goto(`${h.base}/console`);
    await page.waitForSelector('.chart-svg', WAIT);
    expect(await page.locator('[data-stat="open-P1"]').textContent()).not.toBe('0');
    await page.waitForSelector('#live.on', WAIT);
    await page.screenshot({ path: `${SHOTS}/01-overview.png`, fullPage: true });
  });

  it('filters the incident list by priority, namespace and text', async () => {
    await page.goto(`${h.base}/console/incidents`);
    expect(await page.locator('#incidents tbody tr').count()).toBeGreaterThanOrEqual(4);
    await page.selectOption('select[name=namespace]', 'payments');
    await page.click('button[type=submit]:has-text("筛选")');
    await page.waitForURL(/namespace=payments/, WAIT);
    const rows = page.locator('#incidents tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('payments');
    await page.goto(`${h.base}/console/incidents?q=crashloop&priority=P0`);
    expect(await page.locator('#incidents tbody tr').count()).toBe(1);
    await page.goto(`${h.base}/console/incidents?q=no-such-thing-anywhere`);
    expect(await page.locator('#incidents td.empty').textContent()).toBe('暂无数据。');
    await page.goto(`${h.base}/console/incidents`);
    await page.screenshot({ path: `${SHOTS}/02-incidents.png`, fullPage: true });
  });

  it('shows the detail page: timeline, the card sent, findings, the answer, the run and the approval', async () => {
    await page.click('#incidents tbody tr:has-text("shop") a.title');
    await page.waitForURL(/\/console\/incidents\/\d+$/, WAIT);
    await contains(page.locator('#timeline li').first(), '事件创建');
    await contains(page.locator('#timeline'), '诊断完成');
    await page
      .locator('.sent-card .card')
      .first()
      .waitFor({ state: 'visible', ...WAIT });
    await contains(page.locator('main'), '缺少配置项 DATABASE_URL');
    await contains(page.locator('main'), 'revision 41');
    await contains(page.locator('.run'), 'deployment-rollback');
    await contains(page.locator('main'), 'ap-browser-1');
    await page.screenshot({ path: `${SHOTS}/03-incident-detail.png`, fullPage: true });
  });

  it('acknowledges from the detail page and shows the change without a reload', async () => {
    await page.click('#incident-actions button:has-text("认领")');
    await contains(page.locator('#toasts .toast').last(), '已');
    await contains(page.locator('#incident-head'), '已认领');
    await contains(page.locator('#timeline'), '已认领');
  });

  it('shows a new incident and a new timeline entry live while the page is open', async () => {
    await page.goto(`${h.base}/console/incidents`);
    await page.waitForSelector('#live.on', WAIT);
    const inc = seedIncident(h, { title: '实时到达的事件 live-arrival', priority: 'P0' });
    await contains(page.locator('#incidents'), 'live-arrival');
    await page.goto(`${h.base}/console/incidents/${inc.id}`);
    await page.waitForSelector('#live.on', WAIT);
    h.app.ctx.store.timeline.add(
      inc.id,
      { kind: 'note', detail: { text: 'a note that arrives live' } },
      'system',
      Date.now(),
    );
    await contains(page.locator('#timeline'), 'a note that arrives live');
  });

  it('refuses the approval for a viewer with the reason, and takes it from an approver', async () => {
    const carolContext = await browser.newContext({ locale: 'zh-CN' });
    const carol = await signInAs(carolContext, 'Carol');
    await carol.goto(`${h.base}/console/approvals`);
    await carol.click('[data-approval="ap-browser-1"] button:has-text("批准")');
    await contains(carol.locator('#toasts .toast.error'), 'approver');
    expect(h.app.ctx.store.approvals.get('ap-browser-1')?.status).toBe('pending');
    expect(decider.calls).toEqual([]);
    await carolContext.close();

    await page.goto(`${h.base}/console/approvals`);
    await contains(page.locator('.diff .add'), 'replicas: 6');
    await page.screenshot({ path: `${SHOTS}/04-approvals.png`, fullPage: true });
    await page.click('[data-approval="ap-browser-1"] button:has-text("批准")');
    await contains(page.locator('#toasts .toast').last(), '已完成');
    await contains(page.locator('main'), 'Alice');
    expect(h.app.ctx.store.approvals.get('ap-browser-1')).toMatchObject({
      status: 'approved',
      decidedBy: ALICE.openId,
    });
    expect(decider.calls).toEqual([`ap-browser-1:${ALICE.openId}:approve`]);
    await page.locator('[data-approval="ap-browser-1"]').waitFor({ state: 'detached', ...WAIT });
  });

  it('searches alerts by label matchers, lists runbooks, the audit log and metrics', async () => {
    await page.goto(`${h.base}/console/alerts?match=${encodeURIComponent('namespace="shop", severity=~"crit.*"')}`);
    const rows = page.locator('#alerts tbody tr');
    expect(await rows.count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/05-alerts.png`, fullPage: true });
    await page.goto(`${h.base}/console/alerts?match=${encodeURIComponent('namespace=~"("')}`);
    await contains(page.locator('.error'), 'namespace=~"("');
    await page.goto(`${h.base}/console/runbooks`);
    expect(await page.locator('#runbooks tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/06-runbooks.png`, fullPage: true });
    await page.click('#runbooks tbody tr:first-child a');
    await contains(page.locator('pre.yaml'), 'steps:');
    await page.screenshot({ path: `${SHOTS}/07-runbook-yaml.png` });
    await page.goto(`${h.base}/console/audit`);
    await contains(page.locator('#audit'), 'incident.ack');
    await page.screenshot({ path: `${SHOTS}/08-audit.png`, fullPage: true });
    await page.goto(`${h.base}/console/metrics`);
    await contains(page.locator('#metrics'), 'sre_nanobot_http_requests_total');
    await page.screenshot({ path: `${SHOTS}/09-metrics.png`, fullPage: true });
  });

  it('exports the filtered audit log as CSV', async () => {
    await page.goto(`${h.base}/console/audit?action=incident.`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]?.replace(/^\ufeff/, '')).toBe('id,time,actor,action,target,decision,detail');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',incident.'))).toBe(true);
    expect(csv).toContain(ALICE.openId);
  });

  it('serves the admin token without a sign-in', async () => {
    const ctx = await browser.newContext({
      locale: 'zh-CN',
      extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const p = await ctx.newPage();
    await p.goto(`${h.base}/console/incidents`);
    expect(new URL(p.url()).pathname).toBe('/console/incidents');
    await contains(p.locator('.top .who'), 'admin token');
    await ctx.close();
  });

  it('is usable on a phone', async () => {
    const phone = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const p = await phone.newPage();
    await p.goto(`${h.base}/console/incidents`);
    const overflow = (await p.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await p.screenshot({ path: `${SHOTS}/10-phone-incidents.png`, fullPage: true });
    await phone.close();
  });

  it('reconnects after the server restarts and keeps the page live', async () => {
    await page.goto(`${h.base}/console/incidents`);
    await page.waitForSelector('#live.on', WAIT);
    await h.restart();
    await page.waitForSelector('#live.on', { timeout: 20_000 });
    seedIncident(h, { title: 'after-restart arrival', priority: 'P2' });
    await contains(page.locator('#incidents'), 'after-restart arrival');
  }, 40_000);
});
