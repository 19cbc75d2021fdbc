/**
 * The Open Platform's web-app sign-in (OAuth 2 authorisation code), as the console uses it:
 *
 * - `GET /open-apis/authen/v1/authorize?client_id&redirect_uri&response_type=code&state` — Feishu's consent
 *   page (on accounts.feishu.cn in a tenant). Here it lists the emulator's people; choosing one
 *   (`…/authorize/grant`) redirects to `redirect_uri?code=…&state=…`. A code lives 5 minutes and is used once.
 * - `POST /open-apis/authen/v2/oauth/token` `{grant_type:"authorization_code", client_id, client_secret, code,
 *   redirect_uri}` → `{code:0, access_token, expires_in, refresh_token, token_type:"Bearer", scope}`; errors in
 *   the OAuth shape `{code, error, error_description}` with HTTP 400/401.
 * - `GET /open-apis/authen/v1/user_info` with `Authorization: Bearer <user_access_token>` →
 *   `{code:0, data:{name, en_name, open_id, union_id, email, tenant_key}}`.
 *
 * These run before the gateway's tenant-token check: the token call carries the app secret in its body and
 * user_info a user token, neither a tenant token.
 */
import { randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { FeishuEmulator } from './emulator.js';
import { bodyOf } from './middleware.js';

export const OAUTH_PATHS = {
  authorize: '/open-apis/authen/v1/authorize',
  grant: '/open-apis/authen/v1/authorize/grant',
  token: '/open-apis/authen/v2/oauth/token',
  userInfo: '/open-apis/authen/v1/user_info',
} as const;

const CODE_TTL_MS = 5 * 60_000;
const USER_TOKEN_TTL_S = 7200;

interface Grant {
  openId: string;
  redirectUri: string;
  expiresAt: number;
}

export function oauthRoutes(emu: FeishuEmulator) {
  const codes = new Map<string, Grant>();
  const userTokens = new Map<string, { openId: string; expiresAt: number }>();
  const now = () => emu.now();

  const oauthError = (ctx: Context, status: number, code: number, error: string, description: string) => {
    ctx.status = status;
    ctx.body = { code, error, error_description: description };
  };

  return async (ctx: Context, next: Next): Promise<void> => {
    switch (ctx.path) {
      case OAUTH_PATHS.authorize: {
        const q = ctx.query;
        const problem = authorizeProblem(emu, q);
        ctx.type = 'text/html; charset=utf-8';
        if (problem) {
          ctx.status = 400;
          ctx.body = page('授权失败', `<p class="err">${esc(problem)}</p>`);
          return;
        }
        const params = (openId: string) =>
          new URLSearchParams({
            client_id: String(q.client_id),
            redirect_uri: String(q.redirect_uri),
            state: typeof q.state === 'string' ? q.state : '',
            user: openId,
          }).toString();
        const people = [...emu.world.users.values()]
          .map((u) => `<a class="who" href="${OAUTH_PATHS.grant}?${esc(params(u.openId))}">${esc(u.name)}</a>`)
          .join('');
        ctx.body = page('飞书授权登录', `<p>选择要登录的飞书账号：</p>${people}`);
        return;
      }
      case OAUTH_PATHS.grant: {
        const q = ctx.query;
        const problem = authorizeProblem(emu, q);
        const user = typeof q.user === 'string' ? emu.world.users.get(q.user) : undefined;
        if (problem || !user) {
          ctx.status = 400;
          ctx.type = 'text/html; charset=utf-8';
          ctx.body = page('授权失败', `<p class="err">${esc(problem ?? 'unknown user')}</p>`);
          return;
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, { openId: user.openId, redirectUri: String(q.redirect_uri), expiresAt: now() + CODE_TTL_MS });
        const target = new URL(String(q.redirect_uri));
        target.searchParams.set('code', code);
        if (typeof q.state === 'string') target.searchParams.set('state', q.state);
        ctx.redirect(target.toString());
        return;
      }
      case OAUTH_PATHS.token: {
        if (ctx.method !== 'POST') return next();
        const b = bodyOf(ctx);
        if (b.grant_type !== 'authorization_code') {
          return oauthError(ctx, 400, 20001, 'unsupported_grant_type', 'grant_type must be authorization_code');
        }
        if (b.client_id !== emu.app.appId || b.client_secret !== emu.app.appSecret) {
          return oauthError(ctx, 401, 20002, 'invalid_client', 'client_id or client_secret is wrong');
        }
        const grant = typeof b.code === 'string' ? codes.get(b.code) : undefined;
        if (grant) codes.delete(b.code as string);
        if (!grant || grant.expiresAt <= now()) {
          return oauthError(ctx, 400, 20003, 'invalid_grant', 'the code is unknown, used or expired');
        }
        if (b.redirect_uri !== undefined && b.redirect_uri !== grant.redirectUri) {
          return oauthError(ctx, 400, 20004, 'invalid_grant', 'redirect_uri differs from the authorisation request');
        }
        const token = `u-${randomBytes(18).toString('hex')}`;
        userTokens.set(token, { openId: grant.openId, expiresAt: now() + USER_TOKEN_TTL_S * 1000 });
        ctx.body = {
          code: 0,
          access_token: token,
          expires_in: USER_TOKEN_TTL_S,
          refresh_token: `ur-${randomBytes(18).toString('hex')}`,
          refresh_token_expires_in: 604800,
          token_type: 'Bearer',
          scope: '',
        };
        return;
      }
      case OAUTH_PATHS.userInfo: {
        const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
        const held = token ? userTokens.get(token) : undefined;
        const user = held && held.expiresAt > now() ? emu.world.users.get(held.openId) : undefined;
        if (!user) {
          ctx.status = 401;
          ctx.body = {
            code: 99991668,
            msg: 'Invalid access token for authorization. Please make a new request with token attached.',
          };
          return;
        }
        ctx.body = {
          code: 0,
          msg: 'success',
          data: {
            name: user.name,
            en_name: user.name,
            open_id: user.openId,
            union_id: user.unionId,
            user_id: user.userId,
            tenant_key: 'sandbox',
            ...(user.email ? { email: user.email } : {}),
          },
        };
        return;
      }
      default:
        return next();
    }
  };
}

function authorizeProblem(emu: FeishuEmulator, q: Record<string, unknown>): string | undefined {
  if (q.client_id !== emu.app.appId) return 'client_id is not this app';
  if (q.response_type !== undefined && q.response_type !== 'code') return 'response_type must be code';
  if (typeof q.redirect_uri !== 'string' || !/^https?:\/\//.test(q.redirect_uri)) return 'redirect_uri is required';
  return undefined;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f5f6f7;margin:0;display:flex;justify-content:center;padding-top:10vh}
main{background:#fff;border-radius:12px;box-shadow:0 4px 16px rgba(31,35,41,.08);padding:28px 32px;width:min(360px,90vw)}
h1{font-size:18px;margin:0 0 12px;color:#1f2329}.who{display:block;padding:10px 14px;margin:8px 0;border:1px solid #dee0e3;border-radius:8px;color:#1f2329;text-decoration:none}
.who:hover{border-color:#3370ff;color:#3370ff}.err{color:#f54a45}</style></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}
