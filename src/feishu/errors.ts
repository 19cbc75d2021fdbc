/**
 * Every failed Feishu call becomes a `FeishuApiError` carrying what the caller needs to decide: Feishu's own
 * code, the HTTP status, and how long to wait (from `x-ogw-ratelimit-reset`). `kind` says what to do with it.
 * Feishu's windows are a second and a minute, so a reset beyond `MAX_RATE_LIMIT_WAIT_MS` (a broken gateway or
 * proxy saying 600 s) is capped: the message says so, and the caller retries after the cap, not ten minutes.
 */
import { CodedError, type ErrorCode } from '../shared/errors.js';

export type FeishuErrorKind = 'rate_limited' | 'transient' | 'auth' | 'permanent';

/** The longest wait a rate-limit answer can impose (Feishu's longest window is a minute). */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;

const RATE_LIMIT_CODES = new Set([99991400, 230020]);
const AUTH_CODES = new Set([99991661, 99991663, 99991668]);
/** Feishu says "try again": message still being sent, card mid-interaction. */
const TRANSIENT_CODES = new Set([230049, 1000040343]);

export class FeishuApiError extends CodedError {
  constructor(
    readonly api: string,
    message: string,
    readonly feishuCode: number | undefined,
    readonly httpStatus: number | undefined,
    readonly retryAfterMs: number | undefined,
    options: { cause?: unknown; logId?: string } = {},
  ) {
    super(codeFor(feishuCode, httpStatus), message, {
      cause: options.cause,
      detail: { api, feishuCode, httpStatus, ...(options.logId ? { logId: options.logId } : {}) },
    });
    this.name = 'FeishuApiError';
  }

  get kind(): FeishuErrorKind {
    const kind = kindOf(this.feishuCode, this.httpStatus);
    // No token means nothing can be sent, not that this message is undeliverable: keep retrying.
    return this.api === 'tenant_access_token' && kind === 'permanent' ? 'auth' : kind;
  }
}

export function kindOf(code: number | undefined, status: number | undefined): FeishuErrorKind {
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) return 'rate_limited';
  if (code !== undefined && AUTH_CODES.has(code)) return 'auth';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  if (code !== undefined && code === 230099 && status !== undefined && status >= 500) return 'transient';
  if (status === undefined || status === 0 || status >= 500 || status === 408) return 'transient';
  return 'permanent';
}

function codeFor(code: number | undefined, status: number | undefined): ErrorCode {
  switch (kindOf(code, status)) {
    case 'rate_limited':
      return 'rate_limited';
    case 'auth':
      return 'unauthorized';
    case 'transient':
      return status === undefined || status === 0 ? 'timeout' : 'upstream_error';
    case 'permanent':
      return 'upstream_error';
  }
}

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

/** Maps whatever the SDK threw (an AxiosError, usually) to a FeishuApiError. */
export function toFeishuError(api: string, err: unknown): FeishuApiError {
  if (err instanceof FeishuApiError) return err;
  const e = (err ?? {}) as AxiosLike;
  const status = e.response?.status;
  const data = (e.response?.data ?? {}) as { code?: unknown; msg?: unknown; error?: { log_id?: unknown } };
  const code = typeof data.code === 'number' ? data.code : undefined;
  const reset = header(e.response?.headers, 'x-ogw-ratelimit-reset');
  const asked = reset !== undefined && reset.trim() !== '' ? Number(reset) * 1000 : Number.NaN;
  const retryAfterMs = !Number.isNaN(asked) ? Math.min(Math.max(asked, 0), MAX_RATE_LIMIT_WAIT_MS) : undefined;
  const capped =
    retryAfterMs !== undefined && retryAfterMs < asked
      ? `; x-ogw-ratelimit-reset asked for ${(reset ?? '').slice(0, 20)} s, waiting ${MAX_RATE_LIMIT_WAIT_MS / 1000} s at most`
      : '';
  const what = status
    ? `HTTP ${status}${code !== undefined ? ` code ${code}` : ''}${typeof data.msg === 'string' ? ` ${data.msg}` : ''}${capped}`
    : `${e.code ?? 'network error'}: ${e.message ?? String(err)}`;
  const logId = typeof data.error?.log_id === 'string' ? data.error.log_id : undefined;
  return new FeishuApiError(api, `${api} failed: ${what}`, code, status ?? 0, retryAfterMs, {
    cause: err,
    ...(logId ? { logId } : {}),
  });
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const get = (headers as { get?: (n: string) => unknown }).get;
  const v = typeof get === 'function' ? get.call(headers, name) : (headers[name] ?? headers[name.toLowerCase()]);
  return v === undefined || v === null ? undefined : String(v);
}
