/**
 * The sandbox page on the real Feishu emulator, in headless Chromium. A bot posts cards through the Open API (the
 * node SDK), the page shows them; clicking a button sends a `card.action.trigger` callback to the bot endpoint
 * below, whose answer (a toast and a replacement card) shows up on the page; typing in the composer reaches the
 * bot as `im.message.receive_v1`. Hostile card text stays text. Screenshots: /tmp/sandbox-page.png
 * (the card as posted) and /tmp/sandbox-page-after-click.png.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../src/sandbox/feishu/index.js';
import { mountSandboxPage } from '../../../src/sandbox/page/index.js';
import { describeWithChromium, launchChromium } from '../../helpers/chromium.js';
import {
  ALICE,
  BOB,
  CAROL,
  ONCALL_CHAT,
  sdkClient,
  startTestEmulator,
  testWorld,
} from '../../helpers/feishu-emulator.js';

const cards = JSON.parse(readFileSync(new URL('../../fixtures/sandbox/cards.json', import.meta.url), 'utf8'));
const EDGE_CHAT = 'oc_0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a';

type Json = Record<string, unknown>;

/** A minimal bot endpoint: records what it receives; answers `ack` clicks with a toast and a replaced card. */
async function startBot(): Promise<{ url: string; received: Json[]; server: Server }> {
  const received: Json[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as { header?: { event_type?: string }; event?: Json; challenge?: string };
    received.push(body);
    let answer: unknown = {};
    if (body.challenge) answer = { challenge: body.challenge };
    if (body.header?.event_type === 'card.action.trigger') {
      const event = body.event as { operator: { open_id: string }; action: { value: { action: string } } };
      const action = event.action.value.action;
      answer = { toast: { type: 'success', content: `${action} recorded` } };
      if (action === 'ack') {
        answer = {
          toast: { type: 'success', content: 'Acknowledged' },
          card: {
            type: 'raw',
            data: {
              schema: '2.0',
              config: { update_multi: true },
              header: { title: { tag: 'plain_text', content: 'P1 · acknowledged' }, template: 'green' },
              body: {
                elements: [{ tag: 'markdown', content: `Acknowledged by <at id=${event.operator.open_id}></at>` }],
              },
            },
          },
        };
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`, received, server };
}

const clicksOf = (received: Json[]) =>
  received
    .filter((b) => (b.header as Json | undefined)?.event_type === 'card.action.trigger')
    .map((b) => {
      const e = b.event as { operator: { open_id: string }; action: { value: unknown } };
      return { operator: e.operator.open_id, value: e.action.value };
    });

describeWithChromium('sandbox page on the Feishu emulator (headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let emu: FeishuEmulator;
  let bot: Awaited<ReturnType<typeof startBot>>;
  let cardId = '';
  let replyId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    bot = await startBot();
    const world = testWorld();
    emu = await startTestEmulator({
      delivery: { mode: 'webhook', eventsUrl: bot.url },
      chats: [
        ...(world.chats ?? []),
        { chatId: EDGE_CHAT, name: 'Edge cases', type: 'group', members: [CAROL.openId] },
      ],
      plugins: [(router) => mountSandboxPage(router)],
    });
    const client = sdkClient(emu);
    const post = async (chatId: string, card: unknown) => {
      const res = await client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card) },
      });
      return res.data?.message_id ?? '';
    };
    cardId = await post(ONCALL_CHAT, cards.incident);
    await client.im.message.urgentApp({
      path: { message_id: cardId },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: [ALICE.openId] },
    });
    await post(EDGE_CHAT, cards.hostile);
    const reply = await client.im.message.reply({
      path: { message_id: cardId },
      data: {
        msg_type: 'text',
        content: JSON.stringify({ text: `<at user_id="${ALICE.openId}"></at> diagnosis: OOMKilled` }),
        reply_in_thread: true,
      },
    });
    replyId = reply.data?.message_id ?? '';

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${emu.url}/sandbox`);
  });

  afterAll(async () => {
    await browser?.close();
    await emu?.close();
    await new Promise((resolve) => bot?.server.close(resolve));
  });

  it('shows the bot’s card (header colour, fields, chart, table, urgent mark) and its threaded reply', async () => {
    const card = page.locator(`[data-message-id="${cardId}"] .card`);
    await card.waitFor();
    expect(await page.locator('.chat.active').textContent()).toContain('SRE on-call');
    expect(await card.getAttribute('class')).toContain('card-t-red');
    expect(await card.locator('.card-title').textContent()).toContain('P1 · checkout-api is crash-looping');
    expect(await card.locator('.cols').first().locator('.col').count()).toBe(3);
    expect(await card.locator('.chart-svg polyline').count()).toBe(1);
    expect(await card.locator('.card-table td').first().textContent()).toBe('checkout-api-7d9f');
    expect(await card.locator('.unsupported').textContent()).toBe('[unsupported: select_person]');
    expect(await page.locator(`[data-message-id="${cardId}"] .urgent`).textContent()).toContain('Alice');
    const colour = await page.evaluate(
      `getComputedStyle(document.querySelector('[data-message-id="${cardId}"] .card-header')).backgroundColor`,
    );
    expect(colour).toBe('rgb(245, 74, 69)');
    const reply = page.locator(`[data-message-id="${replyId}"]`);
    expect(await reply.locator('.quote').textContent()).toBe('↩ SRE Bot: [card] P1 · checkout-api is crash-looping');
    expect(await reply.locator('.text').textContent()).toBe('@Alice diagnosis: OOMKilled');
    await page.evaluate(`document.getElementById('messages').scrollTo(0, 0)`);
    await page.screenshot({ path: '/tmp/sandbox-page.png' });
  });

  it('asks before a confirmed action and calls the bot only when accepted', async () => {
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
    expect(clicksOf(bot.received)).toEqual([]);
    accept = true;
    await restart.click();
    await page.locator('.toast', { hasText: 'approve recorded' }).waitFor();
    page.off('dialog', onDialog);
    expect(clicksOf(bot.received)).toEqual([
      { operator: ALICE.openId, value: { action: 'approve', incident_id: 'INC-42' } },
    ]);
  });

  it('clicks a button as the chosen user; the bot’s toast shows and its card replaces the old one', async () => {
    await page.selectOption('#sender', BOB.openId);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.toast', { hasText: 'Acknowledged' }).waitFor();
    const message = page.locator(`[data-message-id="${cardId}"]`);
    await message.locator('.card-t-green').waitFor();
    expect(await message.locator('.card').textContent()).toContain('Acknowledged by @Bob');
    expect(await message.locator('.edited').textContent()).toBe('edited');
    expect(clicksOf(bot.received).at(-1)).toEqual({
      operator: BOB.openId,
      value: { action: 'ack', incident_id: 'INC-42' },
    });
  });

  it('sends a typed message to the bot as the chosen user, with the @bot mention shown by name', async () => {
    await page.fill('#text', 'restart it please');
    await page.press('#text', 'Enter');
    const typed = page.locator('.msg', { hasText: 'restart it please' });
    await typed.waitFor();
    expect(await typed.locator('.sender').textContent()).toBe('Bob');
    expect(await typed.locator('.mention-bot').textContent()).toBe('@SRE Bot');
    expect(await page.inputValue('#text')).toBe('');
    await expect
      .poll(() =>
        bot.received
          .filter((b) => (b.header as Json | undefined)?.event_type === 'im.message.receive_v1')
          .map((b) => JSON.parse(((b.event as Json).message as Json).content as string).text),
      )
      .toEqual(['@_user_1 restart it please']);
    await page.screenshot({ path: '/tmp/sandbox-page-after-click.png' });
  });

  it('keeps hostile card text as text and survives malformed elements', async () => {
    await page.getByRole('button', { name: 'Edge cases' }).click();
    const card = page.locator('.msg .card').first();
    await card.waitFor();
    expect(await card.locator('.card-title').textContent()).toBe('<img src=x onerror="window.__pwned=1">');
    expect(await card.locator('img, script').count()).toBe(0);
    expect(await card.locator('.chart-table th').allTextContents()).toEqual(['type', 'value']);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
