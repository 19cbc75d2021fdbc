/**
 * The web console, served by the bot: `GET /console…` pages (server-rendered HTML, one small script and one
 * style sheet from `assets/`, nothing from a CDN), `/console/api/*` JSON for headless use, `/console/events`
 * (server-sent events). Transport only: reads go through the console's queries, actions through actions.ts.
 *
 *   mountConsole(http.router, deps)
 */
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { cardPreviewCss } from '../cards/preview/index.js';
import { redactText } from '../shared/redact.js';
import { mountApiRoutes } from './api-routes.js';
import { identify, roleNames } from './auth.js';
import { mountAuthRoutes } from './auth-routes.js';
import type { ConsoleDeps } from './deps.js';
import { type Handler, idOf, secure, serverTiming } from './guard.js';
import { barePage, esc, layout, type NavKey } from './html.js';
import { auditPage, metricsPage } from './pages/audit.js';
import { incidentDetail } from './pages/incident-detail.js';
import { incidentsPage } from './pages/incidents.js';
import { alertsPage, approvalsPage, runbookPage, runbooksPage } from './pages/ops.js';
import { overviewPage } from './pages/overview.js';
import { AuditFilterSchema, auditCsv } from './queries/audit.js';
import { IncidentFilterSchema } from './queries/incidents.js';

const ASSETS = new URL('./assets/', import.meta.url);
const ASSET_TYPES: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'card.css': 'text/css; charset=utf-8',
};

export function mountConsole(router: Router, deps: ConsoleDeps): void {
  const { t } = deps;
  const assets = new Map(
    Object.keys(ASSET_TYPES)
      .filter((n) => n !== 'card.css')
      .map((name) => [name, readFileSync(new URL(name, ASSETS))]),
  );
  assets.set('card.css', Buffer.from(cardPreviewCss(), 'utf8'));
  router.get('/console/assets/:file', (ctx) => {
    const body = assets.get(ctx.params.file ?? '');
    if (!body) return;
    ctx.set('content-type', ASSET_TYPES[ctx.params.file ?? ''] as string);
    ctx.set('cache-control', 'public, max-age=300');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.body = body;
  });
  mountAuthRoutes(router, deps);

  /** A page: signed in or redirected to sign-in; a person without a role gets a 403 page that says so. */
  const page = (path: string, nav: NavKey, title: (ctx: Context) => string, render: Handler) => {
    router.get(path, async (ctx) => {
      const started = performance.now();
      secure(ctx);
      const who = identify(ctx, deps.authDeps);
      if (!who.ok) {
        if (who.status === 401) return ctx.redirect(`/console/login?next=${encodeURIComponent(ctx.originalUrl)}`);
        ctx.status = 403;
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = barePage(
          deps.locale,
          t('console.brand'),
          `<p class="error" role="alert">${esc(t('console.login.noRole', { name: who.name }))}</p>`,
        );
        return;
      }
      const body = await render(ctx, who.viewer);
      if (body === undefined) {
        ctx.status = 404;
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = barePage(
          deps.locale,
          t('console.error.notFound'),
          `<p><a href="/console">${esc(t('console.nav.overview'))}</a></p>`,
        );
        return;
      }
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = layout(
        {
          t,
          locale: deps.locale,
          title: title(ctx),
          nav,
          user: { name: who.viewer.name, roles: roleNames(who.viewer.actor) },
          csrf: deps.codec.csrfToken(who.viewer.sid),
        },
        String(body),
      );
      serverTiming(ctx, started);
    });
  };
  const query = (ctx: Context) => new URLSearchParams(ctx.querystring);
  const incidentFilter = (ctx: Context) => IncidentFilterSchema.safeParse(ctx.query);

  page(
    '/console',
    'overview',
    () => t('console.nav.overview'),
    () => overviewPage(deps),
  );
  page(
    '/console/incidents',
    'incidents',
    () => t('console.nav.incidents'),
    (ctx) => {
      const f = incidentFilter(ctx);
      if (!f.success)
        return `<p class="error" role="alert">${esc(t('console.action.badInput', { reason: f.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }))}</p>`;
      return incidentsPage(deps, f.data, query(ctx));
    },
  );
  page(
    '/console/incidents/:id',
    'incidents',
    (ctx) => {
      const inc = deps.incidents.store.incidents.get(idOf(ctx) ?? 0);
      return inc ? `#${inc.id} ${redactText(inc.title)}` : t('console.error.notFound');
    },
    (ctx, viewer) => {
      const inc = deps.incidents.store.incidents.get(idOf(ctx) ?? 0);
      return inc ? incidentDetail(deps, inc, deps.codec.csrfToken(viewer.sid)) : undefined;
    },
  );
  page(
    '/console/alerts',
    'alerts',
    () => t('console.nav.alerts'),
    (ctx) =>
      alertsPage(
        deps,
        typeof ctx.query.match === 'string' ? ctx.query.match : '',
        Number(ctx.query.page) || 1,
        query(ctx),
      ),
  );
  page(
    '/console/runbooks',
    'runbooks',
    () => t('console.nav.runbooks'),
    () => runbooksPage(deps),
  );
  page(
    '/console/runbooks/:id',
    'runbooks',
    (ctx) => ctx.params.id ?? '',
    (ctx) => runbookPage(deps, ctx.params.id ?? ''),
  );
  page(
    '/console/approvals',
    'approvals',
    () => t('console.nav.approvals'),
    (_ctx, viewer) => approvalsPage(deps, deps.codec.csrfToken(viewer.sid)),
  );
  page(
    '/console/audit',
    'audit',
    () => t('console.nav.audit'),
    (ctx) => auditPage(deps, AuditFilterSchema.parse(ctx.query), query(ctx)),
  );
  page(
    '/console/metrics',
    'metrics',
    () => t('console.metrics.title'),
    () => metricsPage(deps),
  );

  router.get('/console/audit.csv', (ctx) => {
    secure(ctx);
    const who = identify(ctx, deps.authDeps);
    if (!who.ok) {
      ctx.status = who.status;
      ctx.body = { ok: false, error: who.status === 401 ? 'unauthorized' : 'forbidden', message: who.reason };
      return;
    }
    const f = AuditFilterSchema.parse(ctx.query);
    ctx.set('content-type', 'text/csv; charset=utf-8');
    ctx.set('content-disposition', 'attachment; filename="sre-nanobot-audit.csv"');
    ctx.body = `\ufeff${[...auditCsv(deps.incidents.store, f)].join('')}`;
  });

  router.get('/console/events', (ctx) => {
    const who = identify(ctx, deps.authDeps);
    if (!who.ok) {
      ctx.status = who.status;
      ctx.body = { ok: false, error: 'unauthorized', message: who.reason };
      return;
    }
    deps.events.serve(ctx);
  });

  mountApiRoutes(router, deps);
}
