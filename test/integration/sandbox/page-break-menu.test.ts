import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp } from '../../../src/main.js';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/index.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { describeWithChromium, launchChromium } from '../../helpers/chromium.js';

describeWithChromium('the sandbox page: break something, heal', () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  beforeAll(async () => {
    sandbox = await startSandbox({
      env: { BOT_LOCALE: 'en-US' },
      dataDir: mkdtempSync(join(tmpdir(), 'nanobot-break-page-')),
      ports: { bot: 0, feishu: 0, cluster: 0, llm: 0 },
      demo: false,
      log: silentLogger(),
      startApp: (config) => startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) }),
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  it('lists the scenarios with their alerts, breaks the chosen one and heals it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(sandbox.pageUrl);
    const select = page.locator('#break-select');
    await select.locator('option[value="image-pull"]').waitFor({ state: 'attached' });
    expect(await select.locator('option[value="image-pull"]').textContent()).toContain('KubeContainerWaiting');
    await select.selectOption('image-pull');
    await page.click('#break');
    await page.locator('.toast-warning').first().waitFor();
    expect(await page.locator('.toast-warning').first().textContent()).toContain('shop/checkout');
    expect(sandbox.breakMenu.active()).toEqual(['image-pull']);
    await page.click('#heal');
    await page.locator('.toast-success').first().waitFor();
    expect(await page.locator('.toast-success').first().textContent()).toContain('restored Deployment/shop/checkout');
    expect(sandbox.breakMenu.active()).toEqual([]);
    expect(errors).toEqual([]);
  });
});
