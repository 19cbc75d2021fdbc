import { randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';

/** A Feishu Open API error: HTTP status, business code and message, as the real gateway answers them. */
export class FeishuApiError extends Error {
  constructor(
    readonly code: number,
    msg: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
    this.name = 'FeishuApiError';
  }
}

export const E = {
  missingToken: () => new FeishuApiError(99991661, 'Missing access token for authorization.'),
  invalidToken: () => new FeishuApiError(99991663, 'Invalid access token for authorization.'),
  badParam: (what: string) => new FeishuApiError(99992402, `field validation failed: ${what}`),
  invalidParam: (what: string) =>
    new FeishuApiError(230001, `Your request contains an invalid request parameter: ${what}`),
  botNotInChat: () => new FeishuApiError(230002, 'The bot can not be outside the group.'),
  notSender: () => new FeishuApiError(230012, 'The bot is not the sender of the message.'),
  notOwner: () => new FeishuApiError(230017, 'The bot does not own the resource.'),
  chatRate: () => new FeishuApiError(230020, 'This operation triggers the frequency limit.'),
  tooLong: () => new FeishuApiError(230025, 'The message content exceeds the length limit.'),
  badReceiveId: () => new FeishuApiError(230034, 'The receive_id is invalid.'),
  badCard: (ext: number, why: string) =>
    new FeishuApiError(230099, `Failed to create card content, ext=ErrCode: ${ext}; ErrMsg: ${why}`),
  appRate: (limit: number, resetSeconds: number) =>
    new FeishuApiError(99991400, 'request trigger frequency limit', 429, {
      'x-ogw-ratelimit-limit': String(limit),
      'x-ogw-ratelimit-reset': String(resetSeconds),
    }),
  serverError: () => new FeishuApiError(99991000, 'internal server error', 500),
};

export function logId(now: number): string {
  const d = new Date(now);
  const stamp = d.toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomBytes(8).toString('hex').toUpperCase();
}

export function errorBody(code: number, msg: string, now: number): Record<string, unknown> {
  const id = logId(now);
  return {
    code,
    msg,
    error: { log_id: id, troubleshooter: `https://open.feishu.cn/search?from=openapi&log_id=${id}&code=${code}` },
  };
}

/** Maps thrown `FeishuApiError`s (and anything else, as a 500) to Feishu's error body. */
export function feishuErrors(now: () => number) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (err) {
      if (err instanceof FeishuApiError) {
        ctx.status = err.status;
        for (const [k, v] of Object.entries(err.headers)) ctx.set(k, v);
        ctx.body = errorBody(err.code, err.message, now());
      } else {
        ctx.status = 500;
        ctx.body = errorBody(99991000, `internal error: ${(err as Error).message}`, now());
      }
    }
  };
}
