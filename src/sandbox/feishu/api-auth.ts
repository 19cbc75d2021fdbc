import type Router from '@koa/router';
import type { FeishuEmulator } from './emulator.js';
import { FeishuApiError } from './errors.js';
import { bodyOf, TOKEN_PATH } from './middleware.js';

/** `tenant_access_token/internal` (token fields top-level, as the node SDK expects) and `bot/v3/info`. */
export function registerAuthRoutes(router: Router, emu: FeishuEmulator): void {
  router.post(TOKEN_PATH, (ctx) => {
    const { app_id, app_secret } = bodyOf(ctx);
    if (typeof app_id !== 'string' || typeof app_secret !== 'string') {
      throw new FeishuApiError(10003, 'invalid param: app_id and app_secret are required');
    }
    if (app_id !== emu.app.appId) throw new FeishuApiError(10003, 'invalid param: app_id not found');
    if (app_secret !== emu.app.appSecret) throw new FeishuApiError(10014, 'app secret invalid');
    const { token, expire } = emu.issueToken();
    ctx.body = { code: 0, msg: 'ok', tenant_access_token: token, expire };
  });

  router.get('/open-apis/bot/v3/info', (ctx) => {
    ctx.body = {
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: emu.bot.name,
        avatar_url: '',
        ip_white_list: [],
        open_id: emu.bot.openId,
      },
    };
  });
}
