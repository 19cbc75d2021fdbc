/**
 * The whole sandbox (real bot, emulator, page) in headless Chromium, once per locale: a real incident card in
 * zh-CN renders its Chinese with a CJK font (not empty boxes), every time on the page is in the bot's time zone
 * (TZ) as on the cards, and a command typed after a mention (`@sre-nanobot /help`, `@bot /help`) is answered.
 * Screenshots: /tmp/sandbox-page-zh-CN.png and /tmp/sandbox-page-en-US.png.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp } from '../../../src/main.js';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/index.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { describeWithChromium, launchChromium } from '../../helpers/chromium.js';

const ALERT = readFileSync(
  new URL('../../fixtures/alertmanager/firing-single-KubePodCrashLooping.json', import.meta.url),
  'utf8',
);
/** Families that carry Simplified Chinese glyphs (fonts-noto-cjk on Debian, and the usual others). */
const CJK_FONT = /CJK|Source Han|WenQuanYi|PingFang|Hiragino|YaHei|Droid Sans Fallback/i;

async function openSandbox(env: Record<string, string>): Promise<RunningSandbox> {
  return startSandbox({
    env,
    dataDir: mkdtempSync(join(tmpdir(), 'nanobot-page-locale-')),
    ports: { bot: 0, feishu: 0, cluster: 0, llm: 0 },
    demo: false,
    log: silentLogger(),
    startApp: (config) => startApp(config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) }),
  });
}

/** Posts the shared Alertmanager fixture and waits for the incident card in the demo chat. */
async function incidentCard(sandbox: RunningSandbox): Promise<string> {
  const res = await fetch(`${sandbox.botUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.identity.alertmanagerToken}` },
    body: ALERT,
  });
  expect(res.status).toBe(200);
  const chat = sandbox.identity.demoChat.chatId;
  for (let i = 0; i < 100; i++) {
    const card = sandbox.feishu.messages(chat).find((m) => m.msgType === 'interactive');
    if (card) return card.messageId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no incident card was posted');
}

/** The platform fonts Chromium used for the text directly inside the first element matching `selector`. */
async function fontsUsed(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

/** `HH:mm:ss` (24-hour) of `ms` in `timeZone`, as the page should show it. */
function clock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

describeWithChromium('sandbox page with the real bot, per locale (headless Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const { locale, tz } of [
    { locale: 'zh-CN', tz: 'Asia/Shanghai' },
    { locale: 'en-US', tz: 'America/New_York' },
  ] as const) {
    it(`${locale}: the card renders with real glyphs and the page keeps the bot's clock (${tz})`, async () => {
      const sandbox = await openSandbox({ BOT_LOCALE: locale, TZ: tz });
      // The browser's own zone differs from the bot's: the page must not fall back to it.
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
      try {
        const cardId = await incidentCard(sandbox);
        await page.goto(sandbox.pageUrl);
        const message = page.locator(`[data-message-id="${cardId}"]`);
        await message.locator('.card').waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        expect(await page.locator('#time-zone').textContent()).toBe(tz);

        const stored = sandbox.feishu.message(cardId);
        expect(await message.locator('.msg-meta time').textContent()).toBe(clock(stored?.createTime ?? 0, tz));

        if (locale === 'zh-CN') {
          // Mark the innermost element whose own text is Chinese, then ask Chromium which fonts drew it.
          const found = await page.evaluate(`(() => {
            const card = document.querySelector('[data-message-id="${cardId}"] .card');
            const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              if (/[\\u4e00-\\u9fff]/.test(n.textContent) && n.parentElement) {
                n.parentElement.setAttribute('data-cjk-probe', '');
                return n.textContent;
              }
            }
            return null;
          })()`);
          expect(found, 'the zh-CN card has Chinese text').toMatch(/[\u4e00-\u9fff]/);
          const fonts = await fontsUsed(page, '[data-cjk-probe]');
          const cjk = fonts.filter((f) => CJK_FONT.test(f.familyName) && f.glyphCount > 0);
          expect(
            cjk,
            `Chinese drawn with ${JSON.stringify(fonts)}: install a CJK font (apt-get install fonts-noto-cjk)`,
          ).not.toEqual([]);
        }
        await page.evaluate(`document.getElementById('messages').scrollTo(0, 0)`);
        await page.screenshot({ path: `/tmp/sandbox-page-${locale}.png` });

        // A command typed after a mention is answered: with the @ toggle on, and typed with it off.
        const bot = sandbox.identity.demoChat.chatId;
        const botMessages = () => sandbox.feishu.messages(bot).filter((m) => m.sender.type === 'bot').length;
        const before = botMessages();
        await page.fill('#text', `@${sandbox.identity.bot.name} /help`);
        await page.press('#text', 'Enter');
        await expect.poll(botMessages, { timeout: 10_000 }).toBe(before + 1);
        await page.uncheck('#mention');
        await page.fill('#text', '@bot /help');
        await page.press('#text', 'Enter');
        await expect.poll(botMessages, { timeout: 10_000 }).toBe(before + 2);
        const replies = sandbox.feishu.messages(bot).slice(-3);
        expect(replies.filter((m) => m.sender.type === 'bot').every((m) => m.content.includes('/help'))).toBe(true);
      } finally {
        await page.close();
        await sandbox.stop();
      }
    }, 60_000);
  }
});
