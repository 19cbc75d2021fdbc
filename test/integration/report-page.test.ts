/**
 * The sandbox page draws the report cards as a Feishu client would: the daily digest's two `chart` elements
 * (alerts per day by priority as bars, the MTTR trend as a line) and the incident report's vote buttons, in
 * headless Chromium. The cards are the real ones, built from the report fixture history. Screenshot:
 * /tmp/report-page.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDaily } from '../../src/reports/daily.js';
import { buildIncidentReport } from '../../src/reports/incident.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { mountSandboxPage } from '../../src/sandbox/page/index.js';
import { describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { ONCALL_CHAT, sdkClient, startTestEmulator } from '../helpers/feishu-emulator.js';
import { D, H, reportWorld, seedHistory } from '../unit/reports/history.js';

describeWithChromium('report cards on the sandbox page (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let emu: FeishuEmulator;
  let digestId = '';
  let reportId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    const w = seedHistory(reportWorld());
    emu = await startTestEmulator({ plugins: [(router) => mountSandboxPage(router)] });
    const client = sdkClient(emu);
    const post = async (card: unknown) => {
      const res = await client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: JSON.stringify(card) },
      });
      return res.data?.message_id ?? '';
    };
    digestId = await post(buildDaily(D + 33 * H, w.deps).card);
    reportId = await post(buildIncidentReport(w.ids.A as number, w.deps));
    w.store.close();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${emu.url}/sandbox`);
  });

  afterAll(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('draws the alerts-per-day bars and the MTTR trend line of the daily digest', async () => {
    const card = page.locator(`[data-message-id="${digestId}"] .card`);
    await card.waitFor();
    expect(await card.locator('.card-title').textContent()).toContain('Daily report · 2026-11-25');
    const charts = card.locator('figure.chart');
    expect(await charts.count()).toBe(2);
    const bars = charts.nth(0);
    expect(await bars.getAttribute('data-chart-type')).toBe('bar');
    expect(await bars.locator('figcaption').textContent()).toBe('Alerts per day by priority');
    expect(await bars.locator('rect').count()).toBe(7 * 4);
    expect(await bars.locator('.legend span').allTextContents()).toEqual(['P0', 'P1', 'P2', 'P3']);
    // The tallest P3 bar is the fixture day's 4 alerts; its tooltip says so.
    expect(await bars.locator('rect title').allTextContents()).toContain('P3 · 11-25: 4');
    const trend = charts.nth(1);
    expect(await trend.getAttribute('data-chart-type')).toBe('line');
    expect(await trend.locator('polyline').count()).toBe(1);
    expect(await trend.locator('circle title').allTextContents()).toEqual(['11-24: 60', '11-25: 40']);
    expect(await card.textContent()).toContain('Noisiest alerts');
  });

  it('shows the incident report with its right / partly / wrong buttons', async () => {
    const card = page.locator(`[data-message-id="${reportId}"] .card`);
    await card.waitFor();
    expect(await card.locator('.card-title').textContent()).toContain('Incident report #1 · KubePodCrashLooping');
    for (const name of ['Right', 'Partly', 'Wrong']) {
      expect(await card.getByRole('button', { name }).count()).toBe(1);
    }
    await page.screenshot({ path: '/tmp/report-page.png', fullPage: true });
    expect(errors).toEqual([]);
  });
});
