/**
 * What every console route does first: security headers, who is asking (`identify`), and for the JSON API the
 * 401/403 with a reason instead of a redirect and the same-origin + CSRF check of a state-changing request.
 * `Server-Timing: app;dur=…` reports the time spent reading and rendering (browser devtools, the benchmark).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { crossSiteProblem, identify, type Viewer } from './auth.js';
import type { ConsoleDeps } from './deps.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secure(ctx: Context): void {
  ctx.set('content-security-policy', CSP);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'same-origin');
  ctx.set('x-frame-options', 'DENY');
  ctx.set('cache-control', 'no-store');
}

export type Handler = (ctx: Context, viewer: Viewer) => unknown;

export function serverTiming(ctx: Context, started: number): void {
  ctx.set('server-timing', `app;dur=${(performance.now() - started).toFixed(2)}`);
}

/** A numeric `:id`, or undefined. */
export function idOf(ctx: Context): number | undefined {
  return /^\d{1,12}$/.test(ctx.params.id ?? '') ? Number(ctx.params.id) : undefined;
}

/** Registers JSON routes: `api('get' | 'post', path, handler)`. */
export function apiRoutes(router: Router, deps: ConsoleDeps) {
  const { t } = deps;
  return (method: 'get' | 'post', path: string, handle: Handler) => {
    router[method](path, async (ctx) => {
      const started = performance.now();
      secure(ctx);
      const who = identify(ctx, deps.authDeps);
      if (!who.ok) {
        ctx.status = who.status;
        ctx.body =
          who.status === 401
            ? {
                ok: false,
                error: 'unauthorized',
                message: `not signed in (${who.reason}); sign in at /console/login or send the admin token`,
              }
            : { ok: false, error: 'forbidden', message: t('console.login.noRole', { name: who.name }) };
        return;
      }
      if (method === 'post') {
        const problem = crossSiteProblem(ctx, who.viewer, deps.codec);
        if (problem) {
          deps.log.warn({ path: ctx.path, problem }, 'console action refused');
          ctx.status = 403;
          ctx.body = { ok: false, error: 'csrf', message: `${t('console.action.csrf')} (${problem})` };
          return;
        }
      }
      await handle(ctx, who.viewer);
      if (ctx.body !== undefined && typeof ctx.body !== 'string' && !Buffer.isBuffer(ctx.body)) {
        ctx.body = JSON.stringify(ctx.body);
        ctx.type = 'application/json; charset=utf-8';
      }
      serverTiming(ctx, started);
    });
  };
}
