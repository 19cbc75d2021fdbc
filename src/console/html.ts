/** HTML building blocks of the console's pages: escaping, the page frame, tables, pagers, time and badges. */
import type { Translate } from '../shared/i18n.js';

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type NavKey = 'overview' | 'incidents' | 'alerts' | 'runbooks' | 'approvals' | 'audit' | 'metrics';
const NAV: readonly [NavKey, string][] = [
  ['overview', '/console'],
  ['incidents', '/console/incidents'],
  ['alerts', '/console/alerts'],
  ['runbooks', '/console/runbooks'],
  ['approvals', '/console/approvals'],
  ['audit', '/console/audit'],
  ['metrics', '/console/metrics'],
];

export interface PageFrame {
  t: Translate;
  locale: string;
  title: string;
  nav: NavKey;
  /** Who is signed in (shown top right), and the CSRF token forms and fetches send. */
  user: { name: string; roles: string };
  csrf: string;
  /** Set for pages that reload a part when a domain event arrives (`data-live` on <body>). */
  live?: string;
}

export function layout(frame: PageFrame, body: string): string {
  const { t } = frame;
  const links = NAV.map(
    ([key, href]) =>
      `<a href="${href}"${key === frame.nav ? ' class="active" aria-current="page"' : ''}>${esc(t(`console.nav.${key}`))}</a>`,
  ).join('');
  return `<!doctype html>
<html lang="${esc(frame.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(frame.title)} · ${esc(t('console.brand'))}</title>
<link rel="stylesheet" href="/console/assets/console.css">
<link rel="stylesheet" href="/console/assets/card.css">
<script type="module" src="/console/assets/console.js"></script>
</head>
<body data-csrf="${esc(frame.csrf)}" data-live="${esc(frame.live ?? '')}">
<header class="top">
  <a class="brand" href="/console"><span class="logo">S</span><span>${esc(t('console.brand'))}</span></a>
  <span id="live" class="live off" data-on="${esc(t('console.live.on'))}" data-off="${esc(t('console.live.off'))}">${esc(t('console.live.off'))}</span>
  <span class="who" title="${esc(frame.user.roles)}">${esc(t('console.signedInAs', { name: frame.user.name }))}</span>
  <form method="post" action="/console/logout" class="signout"><input type="hidden" name="_csrf" value="${esc(frame.csrf)}"><button type="submit" class="btn link">${esc(t('console.signOut'))}</button></form>
</header>
<nav class="side">${links}</nav>
<main class="content">
<h1>${esc(frame.title)}</h1>
${body}
</main>
<div id="toasts" aria-live="polite"></div>
</body>
</html>`;
}

/** A bare page (sign-in, errors) without the navigation. */
export function barePage(locale: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${esc(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body class="bare"><main class="panel narrow"><h1>${esc(title)}</h1>${body}</main></body>
</html>`;
}

export function table(head: readonly string[], rows: readonly string[][], empty: string, id?: string): string {
  const thead = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tbody = rows.length
    ? rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')
    : `<tr><td colspan="${head.length}" class="empty">${esc(empty)}</td></tr>`;
  return `<div class="table-wrap"><table${id ? ` id="${esc(id)}"` : ''}><thead><tr>${thead}</tr></thead><tbody>${tbody}</tbody></table></div>`;
}

export function pager(
  t: Translate,
  base: string,
  query: URLSearchParams,
  p: { total: number; page: number; pages: number },
): string {
  const link = (page: number, label: string, enabled: boolean) => {
    if (!enabled) return `<span class="btn disabled">${esc(label)}</span>`;
    const q = new URLSearchParams(query);
    q.set('page', String(page));
    return `<a class="btn" href="${esc(`${base}?${q}`)}">${esc(label)}</a>`;
  };
  return `<div class="pager"><span class="muted">${esc(t('console.page.summary', { total: p.total, page: p.page, pages: p.pages }))}</span>${link(p.page - 1, t('console.page.prev'), p.page > 1)}${link(p.page + 1, t('console.page.next'), p.page < p.pages)}</div>`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** `2026-12-02 14:05:09` in the bot's time zone. */
export function time(ms: number | null | undefined, timeZone: string): string {
  if (ms === null || ms === undefined) return '—';
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return `<time datetime="${new Date(ms).toISOString()}">${esc(f.format(ms))}</time>`;
}

export function priorityBadge(p: string): string {
  return `<span class="badge prio-${esc(p)}">${esc(p)}</span>`;
}

export function statusBadge(t: Translate, s: 'open' | 'acknowledged' | 'resolved'): string {
  return `<span class="tag st-${s}">${esc(t(`incident.status.${s}`))}</span>`;
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${esc(token)}">`;
}

/** `<select>` with an "any" option first. */
export function select(
  name: string,
  label: string,
  options: readonly [string, string][],
  value: string | undefined,
  any: string,
): string {
  const opts = [['', any] as [string, string], ...options]
    .map(([v, l]) => `<option value="${esc(v)}"${v === (value ?? '') ? ' selected' : ''}>${esc(l)}</option>`)
    .join('');
  return `<label>${esc(label)}<select name="${esc(name)}">${opts}</select></label>`;
}
