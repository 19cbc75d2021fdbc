/**
 * The page's "break something" menu, on the emulator's router beside the page's own state API:
 * `GET /sandbox/api/breakage` (what can be broken, what is broken now), `POST /sandbox/api/breakage/<name>`
 * (optional JSON target, e.g. `{"namespace":"shop","deployment":"cart"}`) and `POST /sandbox/api/heal`.
 */
import type Router from '@koa/router';
import { isCodedError } from '../../shared/errors.js';
import type { BreakMenu } from '../alerting/breakage.js';

export function mountBreakMenu(router: Router, menu: BreakMenu): void {
  router.get('/sandbox/api/breakage', (ctx) => {
    ctx.body = { breakages: menu.list(), broken: menu.active() };
  });
  router.post('/sandbox/api/breakage/:name', (ctx) => {
    const body = (ctx.request as { body?: unknown }).body;
    const target = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
    try {
      ctx.body = menu.breakIt(String(ctx.params.name ?? ''), target);
    } catch (err) {
      ctx.status = isCodedError(err) && err.code === 'not_found' ? 404 : 400;
      ctx.body = { error: { message: err instanceof Error ? err.message : String(err) } };
    }
  });
  router.post('/sandbox/api/heal', (ctx) => {
    try {
      ctx.body = { done: menu.heal() };
    } catch (err) {
      ctx.status = 500;
      ctx.body = { error: { message: err instanceof Error ? err.message : String(err) } };
    }
  });
}
