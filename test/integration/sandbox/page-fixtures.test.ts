/**
 * The sandbox page in headless Chromium against a small stand-in for the emulator's state API: fixture cards
 * (including hostile ones) render as a reader expects, buttons post clicks as the chosen user with confirm
 * dialogs honoured, the returned toast shows, and the composer sends messages.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpServer } from '../../../src/http/server.js';
import { mountSandboxPage } from '../../../src/sandbox/page/index.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Metrics } from '../../../src/shared/metrics.js';
import { describeWithChromium, launchChromium } from '../../helpers/chromium.js';

const cards = JSON.parse(readFileSync(new URL('../../fixtures/sandbox/cards.json', import.meta.url), 'utf8'));

interface FakeMessage {
  seq: number;
  messageId: string;
  chatId: string;
  sender: { type: 'bot' | 'user'; openId: string; name: string };
  msgType: 'text' | 'post' | 'interactive';
  content: unknown;
  createTime: string;
  updateTime: string;
  updateCount: number;
  urgent?: { mode: string; openIds: string[] }[];
  toasts?: { type: string; content: string; at: string }[];
}

const BOT = { type: 'bot' as const, openId: 'ou_bot', name: 'SRE Bot' };
const T0 = Date.parse('2026-01-05T10:20:00Z');

function fakeEmulator() {
  const messages: FakeMessage[] = [];
  const clicks: unknown[] = [];
  const sent: unknown[] = [];
  const add = (m: Omit<FakeMessage, 'seq' | 'createTime' | 'updateTime' | 'updateCount'>) => {
    const t = String(T0 + messages.length * 1000);
    messages.push({ ...m, seq: messages.length + 1, createTime: t, updateTime: t, updateCount: 0 });
  };
  add({
    messageId: 'om_1',
    chatId: 'oc_ops',
    sender: { type: 'user', openId: 'ou_alice', name: 'Alice' },
    msgType: 'text',
    content: { text: '<at user_id="ou_bot">SRE Bot</at> what is wrong with checkout?' },
  });
  add({
    messageId: 'om_card',
    chatId: 'oc_ops',
    sender: BOT,
    msgType: 'interactive',
    content: cards.incident,
    urgent: [{ mode: 'urgent_app', openIds: ['ou_alice'] }],
  });
  add({ messageId: 'om_hostile', chatId: 'oc_other', sender: BOT, msgType: 'interactive', content: cards.hostile });

  const server = new HttpServer({ log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  mountSandboxPage(server.router);
  server.router.get('/sandbox/api/state', (ctx) => {
    ctx.body = {
      bot: { openId: BOT.openId, name: BOT.name },
      users: [
        { openId: 'ou_alice', name: 'Alice' },
        { openId: 'ou_bob', name: 'Bob' },
      ],
      chats: [
        { chatId: 'oc_ops', name: 'payments-oncall', type: 'group' },
        { chatId: 'oc_other', name: 'sandbox-edge-cases', type: 'group' },
      ],
    };
  });
  server.router.get('/sandbox/api/chats/:chatId/messages', (ctx) => {
    ctx.body = { messages: messages.filter((m) => m.chatId === ctx.params.chatId) };
  });
  server.router.post('/sandbox/api/chats/:chatId/messages', (ctx) => {
    const body = ctx.request.body as { userOpenId: string; text: string; mentionBot: boolean };
    sent.push({ chatId: ctx.params.chatId, ...body });
    const name = body.userOpenId === 'ou_bob' ? 'Bob' : 'Alice';
    const text = body.mentionBot ? `<at user_id="ou_bot">SRE Bot</at> ${body.text}` : body.text;
    const messageId = `om_${messages.length + 1}`;
    add({
      messageId,
      chatId: ctx.params.chatId!,
      sender: { type: 'user', openId: body.userOpenId, name },
      msgType: 'text',
      content: { text },
    });
    ctx.body = { messageId };
  });
  server.router.post('/sandbox/api/click', (ctx) => {
    const body = ctx.request.body as { messageId: string; operatorOpenId: string; value: { action: string } };
    clicks.push(body);
    const m = messages.find((x) => x.messageId === body.messageId)!;
    const toast = { type: 'success', content: `${body.value.action} recorded` };
    if (body.value.action !== 'ack') {
      ctx.body = { status: 200, toast, ms: 3 };
      return;
    }
    m.content = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: 'P1 · acknowledged' }, template: 'green' },
      body: { elements: [{ tag: 'markdown', content: `Acknowledged by <at id=${body.operatorOpenId}></at>` }] },
    };
    m.updateCount += 1;
    m.toasts = [...(m.toasts ?? []), { ...toast, at: new Date().toISOString() }];
    ctx.body = { status: 200, toast, ms: 4 };
  });
  return { server, clicks, sent };
}

describeWithChromium('sandbox page with fixture cards (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let fake: ReturnType<typeof fakeEmulator>;
  const errors: string[] = [];

  beforeAll(async () => {
    fake = fakeEmulator();
    const addr = await fake.server.listen(0, '127.0.0.1');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${addr.port}/sandbox`);
  });

  afterAll(async () => {
    await browser?.close();
    await fake?.server.close(1000);
  });

  it('renders the chat, mentions, urgent mark and the incident card', async () => {
    const card = page.locator('[data-message-id="om_card"] .card');
    await card.waitFor();
    expect(await page.locator('.chat.active').textContent()).toContain('payments-oncall');
    expect(await card.getAttribute('class')).toContain('card-t-red');
    expect(await card.locator('.card-title').textContent()).toContain('P1 · checkout-api is crash-looping');
    expect(await card.locator('.cols').first().locator('.col').count()).toBe(3);
    expect(await card.locator('.chart-svg polyline').count()).toBe(1);
    expect(await card.locator('.card-table td').first().textContent()).toBe('checkout-api-7d9f');
    expect(await card.locator('.unsupported').textContent()).toBe('[unsupported: select_person]');
    expect(await page.locator('[data-message-id="om_1"] .mention-bot').textContent()).toBe('@SRE Bot');
    expect(await page.locator('[data-message-id="om_card"] .urgent').textContent()).toContain('Alice');
    const colour = await page.evaluate(
      `getComputedStyle(document.querySelector('[data-message-id="om_card"] .card-header')).backgroundColor`,
    );
    expect(colour).toBe('rgb(245, 74, 69)');
  });

  it('asks before a confirmed action and sends nothing when declined', async () => {
    const asked: string[] = [];
    let accept = false;
    const onDialog = async (d: Dialog) => {
      asked.push(d.message());
      await (accept ? d.accept() : d.dismiss());
    };
    page.on('dialog', onDialog);
    const restart = page.getByRole('button', { name: 'Restart deployment' });
    await restart.click();
    expect(asked).toEqual(['Restart checkout-api?\nAll pods will be replaced.']);
    expect(fake.clicks).toEqual([]);
    accept = true;
    await restart.click();
    await page.locator('.toast', { hasText: 'approve recorded' }).waitFor();
    page.off('dialog', onDialog);
    expect(fake.clicks).toEqual([
      { messageId: 'om_card', operatorOpenId: 'ou_alice', value: { action: 'approve', incident_id: 'INC-42' } },
    ]);
  });

  it('clicks a button as the chosen user, shows the toast and the updated card', async () => {
    await page.selectOption('#sender', 'ou_bob');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.toast', { hasText: 'ack recorded' }).waitFor();
    const card = page.locator('[data-message-id="om_card"] .card');
    await page.locator('[data-message-id="om_card"] .card-t-green').waitFor();
    expect(await card.textContent()).toContain('Acknowledged by @Bob');
    expect(await page.locator('[data-message-id="om_card"] .edited').textContent()).toBe('edited');
    expect(fake.clicks.at(-1)).toEqual({
      messageId: 'om_card',
      operatorOpenId: 'ou_bob',
      value: { action: 'ack', incident_id: 'INC-42' },
    });
  });

  it('sends a message as the chosen user with an @bot mention', async () => {
    await page.fill('#text', 'restart it please');
    await page.press('#text', 'Enter');
    await page.locator('.msg .text', { hasText: 'restart it please' }).waitFor();
    expect(fake.sent).toEqual([
      { chatId: 'oc_ops', userOpenId: 'ou_bob', text: 'restart it please', mentionBot: true },
    ]);
    expect(await page.inputValue('#text')).toBe('');
  });

  it('keeps hostile card text as text and survives malformed elements', async () => {
    await page.getByRole('button', { name: 'sandbox-edge-cases' }).click();
    const card = page.locator('[data-message-id="om_hostile"] .card');
    await card.waitFor();
    expect(await card.locator('.card-title').textContent()).toBe('<img src=x onerror="window.__pwned=1">');
    expect(await card.locator('img, script').count()).toBe(0);
    expect(await card.locator('.chart-table th').allTextContents()).toEqual(['type', 'value']);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
