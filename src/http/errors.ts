import type { Context, Next } from 'koa';
import { type ErrorCode, isCodedError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  malformed_json: 400,
  unauthorized: 401,
  signature_mismatch: 401,
  token_mismatch: 401,
  policy_denied: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_error: 502,
  timeout: 504,
  request_timeout: 408,
  unavailable: 503,
  config_invalid: 500,
  internal: 500,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code];
}

/**
 * The central error mapper: coded errors become their status and an actionable message; anything else is a
 * 500 that names the request id to look up in the log. No stack trace ever reaches a caller.
 */
export function errorMapper(log: Logger) {
  return async function mapErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` };
      }
      if (ctx.status === 405 && ctx.body === undefined) {
        ctx.status = 405; // (assigning the body would otherwise reset it)
        ctx.body = {
          error: 'method_not_allowed',
          message: `${ctx.method} is not allowed on ${ctx.path}; use ${ctx.response.get('allow') || 'another method'}`,
        };
      }
    } catch (err) {
      const reqId = ctx.state.reqId as string | undefined;
      if (isCodedError(err)) {
        ctx.status = STATUS[err.code];
        ctx.body = { error: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}) };
        const retryAfter = err.detail?.retryAfterSeconds;
        if (typeof retryAfter === 'number') ctx.set('retry-after', String(retryAfter));
        const level = ctx.status >= 500 ? 'error' : 'warn';
        ((ctx.state.log as Logger | undefined) ?? log)[level]({ code: err.code, status: ctx.status }, err.message);
      } else {
        ctx.status = 500;
        ctx.body = { error: 'internal', message: `internal error; see the server log for request ${reqId ?? '?'}` };
        ((ctx.state.log as Logger | undefined) ?? log).error({ err }, 'unhandled error');
      }
      ctx.set('content-type', 'application/json; charset=utf-8');
    }
  };
}
