import type Router from '@koa/router';
import { CARD_LIMIT_BYTES, isSharedCard, validateCard } from './content.js';
import type { FeishuEmulator } from './emulator.js';
import { FeishuApiError } from './errors.js';
import { bodyOf } from './middleware.js';

const TOKEN_TTL_MS = 30 * 60_000;
const TOKEN_MAX_USES = 2;

/**
 * `interactive/v1/card/update`: the delayed update through a callback's token — valid 30 minutes, at most
 * twice, and only once the callback has been answered (an earlier call is accepted but reverted by the
 * answer, as on Feishu, so it changes nothing).
 */
export function registerCardRoutes(router: Router, emu: FeishuEmulator): void {
  router.post('/open-apis/interactive/v1/card/update', (ctx) => {
    const body = bodyOf(ctx);
    const token = body.token;
    if (typeof token !== 'string' || !/^c-[0-9a-zA-Z_-]+$/.test(token)) {
      throw new FeishuApiError(300020, 'token format error');
    }
    const record = emu.cardTokens.get(token);
    if (!record || emu.now() - record.createdAt > TOKEN_TTL_MS) throw new FeishuApiError(300030, 'token expired');
    if (record.uses >= TOKEN_MAX_USES) throw new FeishuApiError(300040, 'token has been used more than twice');
    const card = body.card;
    if (card === null || typeof card !== 'object' || Array.isArray(card))
      throw new FeishuApiError(10002, 'card is invalid');
    const text = JSON.stringify(card);
    if (Buffer.byteLength(text) > CARD_LIMIT_BYTES) throw new FeishuApiError(230025, 'card exceeds 30 KB');
    try {
      validateCard(card as Record<string, unknown>);
    } catch (err) {
      throw new FeishuApiError(11311, `card is invalid: ${(err as Error).message}`);
    }
    const m = emu.message(record.messageId);
    if (!m) throw new FeishuApiError(200000, 'card has been recalled');
    const shared = isSharedCard(card as Record<string, unknown>);
    const c = card as Record<string, unknown>;
    if (!shared && !Array.isArray(c.open_ids)) throw new FeishuApiError(300090, 'non-shared card needs open_ids');
    record.uses++;
    if (record.answered) {
      emu.world.updateContent(m, text, emu.now());
    }
    ctx.body = { code: 0, msg: 'ok' };
  });
}
