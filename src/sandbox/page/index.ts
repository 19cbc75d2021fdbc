/**
 * The sandbox web page: `GET /sandbox` serves one self-contained HTML page (inline CSS and scripts, no external
 * URLs) that shows the emulator's chats, renders cards from card JSON 2.0, clicks card buttons as a chosen user
 * and sends messages. It only reads the emulator's state API under `/sandbox/api`; mount it as an emulator plugin:
 * `startFeishuEmulator({ plugins: [(router) => mountSandboxPage(router)] })`.
 *
 * The renderers are the product's card preview scripts (`src/cards/preview/`: markdown.js, chart-render.js,
 * card-render.js), pure functions of the card JSON, so tests can load them on their own (see `rendererSource`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { rendererSource } from '../../cards/preview/index.js';

export { rendererSource } from '../../cards/preview/index.js';

const ASSETS = new URL('./assets/', import.meta.url);

function asset(name: string): string {
  return readFileSync(new URL(name, ASSETS), 'utf8');
}

function inlineScript(source: string): string {
  // A script element ends at the first `</script`, wherever it appears; the assets never need one literally.
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

export interface SandboxPage {
  html: string;
  /** Content-Security-Policy for the page: only its own inline script (by hash) and same-origin fetches. */
  csp: string;
}

export interface SandboxPageOptions {
  /** The bot's time zone (TZ): every time on the page is shown in it, as on the cards. Default UTC. */
  timeZone?: string;
  /** The bot's locale: the page's language, so CJK text picks the Simplified Chinese glyphs. Default en-US. */
  locale?: 'zh-CN' | 'en-US';
  /** Show the "break something" menu (the emulator serves ./break-menu.ts beside the page). Default false. */
  breakMenu?: boolean;
}

export function buildSandboxPage(options: SandboxPageOptions = {}): SandboxPage {
  const script = inlineScript(`${rendererSource()}\n${asset('app.js')}`);
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const timeZone = options.timeZone ?? 'UTC';
  const html = `<!doctype html>
<html lang="${options.locale ?? 'en-US'}" data-time-zone="${escapeAttr(timeZone)}"${options.breakMenu ? ' data-break-menu="on"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sre-nanobot sandbox</title>
<style>
${asset('style.css')}
</style>
</head>
<body>
<header class="topbar">
  <div class="logo">S</div>
  <h1>sre-nanobot sandbox</h1>
  <span class="sub">Feishu emulator</span>
  <div class="break-menu" id="break-menu" hidden>
    <select id="break-select" aria-label="Break something" title="the simulated cluster's failure scenarios"></select>
    <button type="button" id="break">Break</button>
    <button type="button" id="heal" title="put back everything broken since the last heal">Heal</button>
  </div>
  <div class="right">times in <span id="time-zone" title="every time on this page and on the cards">${escapeAttr(timeZone)}</span> · bot: <strong id="bot-name"></strong></div>
</header>
<div class="layout">
  <nav class="sidebar"><h2>Chats</h2><ul id="chats"></ul></nav>
  <main class="main">
    <div class="chat-head"><h2 id="chat-title">Loading…</h2><span id="chat-id"></span><span id="status"></span></div>
    <section id="messages" aria-live="polite"></section>
    <form id="composer" autocomplete="off">
      <label>Send as (and click as)<select id="sender" aria-label="Sender"></select></label>
      <label class="toggle"><input type="checkbox" id="mention" checked><span id="mention-label">@bot</span></label>
      <textarea id="text" placeholder="Message the chat… (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
      <button type="submit" id="send">Send</button>
    </form>
  </main>
</div>
<div id="toasts"></div>
<script>${script}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

function escapeAttr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Serves `GET /sandbox` on the emulator's router. `options` is read when the page is asked for, so the sandbox
 * can hand in the bot's time zone and locale once the bot's configuration is known.
 */
export function mountSandboxPage(router: Router, options: () => SandboxPageOptions = () => ({})): void {
  const pages = new Map<string, SandboxPage>();
  router.get('/sandbox', (ctx) => {
    const wanted = options();
    const key = `${wanted.timeZone ?? ''}|${wanted.locale ?? ''}|${wanted.breakMenu ? 'menu' : ''}`;
    let page = pages.get(key);
    if (!page) {
      page = buildSandboxPage(wanted);
      pages.set(key, page);
    }
    ctx.set('Content-Security-Policy', page.csp);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page.html;
  });
}
