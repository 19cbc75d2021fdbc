/**
 * Sign-in and sign-out: `GET /console/login` (the page), `GET /console/login/feishu` (to Feishu's consent page,
 * with a signed one-time state), `GET /console/oauth/callback` (code → user → session cookie) and
 * `POST /console/logout`. The redirect URL to register in the Feishu developer console is
 * `<bot origin>/console/oauth/callback`.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { cookieOptions, crossSiteProblem, identify, selfOrigin } from './auth.js';
import type { ConsoleDeps } from './deps.js';
import { barePage, esc } from './html.js';
import { SESSION_COOKIE, SESSION_TTL_MS, STATE_COOKIE, STATE_TTL_MS } from './session.js';

/** Only a path inside the console may be returned to after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/console';
  return /^\/console(?:[/?#]|$)/.test(next) && !/[\\]|\/\//.test(next) && next.length <= 2000 ? next : '/console';
}

export function callbackUrl(ctx: Context): string {
  return `${selfOrigin(ctx)}/console/oauth/callback`;
}

export function mountAuthRoutes(router: Router, deps: ConsoleDeps): void {
  const { t } = deps;
  router.get('/console/login', (ctx) => {
    const next = safeNext(ctx.query.next);
    const error = typeof ctx.query.error === 'string' ? ctx.query.error.slice(0, 300) : '';
    const button = deps.oauth
      ? `<a class="btn primary big" id="feishu-login" href="/console/login/feishu?next=${encodeURIComponent(next)}">${esc(t('console.login.button'))}</a>`
      : `<p class="notice">${esc(t('console.login.unavailable'))}</p>`;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    ctx.body = barePage(
      deps.locale,
      t('console.login.title'),
      `${error ? `<p class="error" role="alert">${esc(t('console.login.failed', { reason: error }))}</p>` : ''}<p class="muted">${esc(t('console.login.hint'))}</p>${button}`,
    );
  });

  router.get('/console/login/feishu', (ctx) => {
    if (!deps.oauth) return ctx.redirect('/console/login');
    const { cookie, state } = deps.codec.issueState(safeNext(ctx.query.next), deps.incidents.clock.now());
    ctx.cookies.set(STATE_COOKIE, cookie, cookieOptions(ctx, STATE_TTL_MS));
    ctx.redirect(deps.oauth.authorizeUrl(callbackUrl(ctx), state));
  });

  router.get('/console/oauth/callback', async (ctx) => {
    const back = (reason: string) => ctx.redirect(`/console/login?error=${encodeURIComponent(reason)}`);
    if (!deps.oauth) return back('Feishu sign-in is not configured');
    const held = deps.codec.verifyState(ctx.cookies.get(STATE_COOKIE), deps.incidents.clock.now());
    ctx.cookies.set(STATE_COOKIE, '', { ...cookieOptions(ctx, 0), maxAge: 0 });
    if (!held.ok || held.value.state !== ctx.query.state) {
      return back('the sign-in expired or did not start here; try again');
    }
    if (typeof ctx.query.code !== 'string' || !ctx.query.code) return back('Feishu sent no code (was access denied?)');
    const r = await deps.oauth.signIn(ctx.query.code, callbackUrl(ctx));
    if (!r.ok) {
      deps.log.warn({ reason: r.reason }, 'console sign-in failed');
      return back(r.reason);
    }
    const { cookie } = deps.codec.issue(r.user, deps.incidents.clock.now());
    ctx.cookies.set(SESSION_COOKIE, cookie, cookieOptions(ctx, SESSION_TTL_MS));
    deps.incidents.store.audit.record(
      {
        actor: r.user.openId,
        action: 'console.sign_in',
        target: null,
        decision: 'done',
        detail: { name: r.user.name },
      },
      deps.incidents.clock.now(),
    );
    ctx.redirect(held.value.next);
  });

  router.post('/console/logout', (ctx) => {
    const who = identify(ctx, deps.authDeps);
    if (who.ok) {
      const problem = crossSiteProblem(ctx, who.viewer, deps.codec);
      if (problem) {
        ctx.status = 403;
        ctx.body = { ok: false, error: 'csrf', message: t('console.action.csrf') };
        return;
      }
    }
    ctx.cookies.set(SESSION_COOKIE, '', { ...cookieOptions(ctx, 0), maxAge: 0 });
    ctx.body = { ok: true, message: t('console.action.done'), location: '/console/login' };
  });
}
