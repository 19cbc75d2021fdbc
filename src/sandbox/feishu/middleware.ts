import type { Context, Next } from 'koa';
import { REDACTED } from '../../shared/redact.js';
import type { FeishuEmulator } from './emulator.js';
import { E, FeishuApiError } from './errors.js';

const MAX_BODY = 10 * 1024 * 1024;
export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
/** The message APIs that share the per-app limit (50/s, 1000/min). */
const RATE_LIMITED = /^\/open-apis\/(im\/v1\/messages|interactive\/v1\/card\/update)/;

declare module 'koa' {
  interface Request {
    body?: unknown;
    rawBody?: Buffer;
  }
}

/**
 * Records every Open API call in the transcript: what came in, what went back, Feishu's code. App secrets and
 * tokens are masked (the transcript is shown on the sandbox page).
 */
export function recordApiCalls(emu: FeishuEmulator) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const recorded = ctx.path.startsWith('/open-apis/') || ctx.path.startsWith('/callback/');
    const at = emu.now();
    const started = performance.now();
    await next();
    if (!recorded) return;
    const body = ctx.body as { code?: unknown } | undefined;
    emu.world.record({
      at,
      direction: 'in',
      kind: 'api',
      method: ctx.method,
      path: ctx.path,
      status: ctx.status,
      ...(typeof body?.code === 'number' ? { code: body.code } : {}),
      ms: Math.round(performance.now() - started),
      request: maskSecrets(ctx.request.body),
      response: maskSecrets(ctx.body),
    });
  };
}

const SECRET_KEYS = new Set(['app_secret', 'AppSecret', 'tenant_access_token', 'app_access_token']);

/** A copy with credential fields masked (top level only: that is where the token and endpoint calls carry them). */
function maskSecrets(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(out)) if (SECRET_KEYS.has(key)) out[key] = REDACTED;
  return out;
}

export function readBody() {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new FeishuApiError(9499, 'request body too large', 413);
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    ctx.request.rawBody = raw;
    if (raw.length > 0) {
      try {
        ctx.request.body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new FeishuApiError(9499, 'Bad Request: body is not valid JSON');
      }
    }
    return next();
  };
}

/**
 * What Feishu's gateway does before an API handler runs: injected faults, the bearer token check, and the
 * per-app rate limit of the message APIs (429 / 99991400 with x-ogw-ratelimit-* headers).
 */
export function gateway(emu: FeishuEmulator) {
  const hanging = new Set<() => void>();
  emu.onClose(() => {
    for (const release of hanging) release();
  });
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!ctx.path.startsWith('/open-apis/')) return next();
    const fault = emu.faults.take(ctx.path);
    switch (fault) {
      case undefined:
        break;
      case 'server_error':
        throw E.serverError();
      case 'rate_limit_app':
        throw E.appRate(50, 1);
      case 'rate_limit_chat':
        throw E.chatRate();
      case 'timeout':
        await new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            hanging.delete(release);
            resolve();
          };
          const timer = setTimeout(release, emu.hangMs);
          hanging.add(release);
        });
        throw new FeishuApiError(99991000, 'gateway timeout', 504);
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
    if (ctx.path !== TOKEN_PATH) {
      const header = ctx.get('authorization');
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!token) throw E.missingToken();
      const expiresAt = emu.tokens.get(token);
      if (expiresAt === undefined || expiresAt <= emu.now()) throw E.invalidToken();
    }
    if (ctx.method !== 'GET' && RATE_LIMITED.test(ctx.path)) {
      const now = emu.now();
      const perSecond = emu.limits.appSecond.waitMs('app', now);
      const perMinute = emu.limits.appMinute.waitMs('app', now);
      if (perSecond > 0 || perMinute > 0) {
        const limit = perMinute > 0 ? emu.limits.appMinute.limit : emu.limits.appSecond.limit;
        throw E.appRate(limit, Math.max(1, Math.ceil(Math.max(perSecond, perMinute) / 1000)));
      }
      emu.limits.appSecond.hit('app', now);
      emu.limits.appMinute.hit('app', now);
    }
    return next();
  };
}

export function bodyOf(ctx: Context): Record<string, unknown> {
  const b = ctx.request.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return {};
  return b as Record<string, unknown>;
}
