import type Router from '@koa/router';
import type { Context } from 'koa';
import type { FeishuReceiver } from './receiver.js';

/** `POST /feishu/events` (events, and card callbacks too) and `POST /feishu/card` (card callbacks). */
export function mountFeishuRoutes(router: Router, receiver: FeishuReceiver): void {
  const handle = async (ctx: Context) => {
    const raw = ctx.request.rawBody ?? Buffer.alloc(0);
    const body = await receiver.handleWebhook(raw, ctx.request.body, (name) => ctx.get(name) || undefined);
    ctx.status = 200;
    ctx.body = body;
  };
  router.post('/feishu/events', handle);
  router.post('/feishu/card', handle);
}
