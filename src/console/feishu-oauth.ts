/**
 * The Feishu web-app sign-in, the client side: the consent page URL (accounts.feishu.cn / accounts.larksuite.com
 * for the open.* domains, the same host otherwise — the sandbox's emulator serves all three), the code → user
 * access token exchange (`POST /open-apis/authen/v2/oauth/token`) and the signed-in user
 * (`GET /open-apis/authen/v1/user_info`). Failures come back as a sentence, never as a thrown stack.
 */
import { z } from 'zod';

export interface FeishuOAuthOptions {
  /** FEISHU_DOMAIN, e.g. https://open.feishu.cn */
  domain: string;
  appId: string;
  appSecret: string;
  /** Per-call deadline (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface SignedInUser {
  openId: string;
  name: string;
}

const TokenSchema = z.object({ code: z.number(), access_token: z.string().min(1) });
const UserInfoSchema = z.object({
  code: z.literal(0),
  data: z.object({ open_id: z.string().min(1), name: z.string().default('') }),
});

export class FeishuOAuth {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: FeishuOAuthOptions) {
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Where to send the browser: Feishu's consent page, coming back to `redirectUri` with `code` and `state`. */
  authorizeUrl(redirectUri: string, state: string): string {
    const u = new URL('/open-apis/authen/v1/authorize', accountsOrigin(this.options.domain));
    u.searchParams.set('client_id', this.options.appId);
    u.searchParams.set('redirect_uri', redirectUri);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('state', state);
    return u.toString();
  }

  /** The code from the redirect → who signed in. */
  async signIn(
    code: string,
    redirectUri: string,
  ): Promise<{ ok: true; user: SignedInUser } | { ok: false; reason: string }> {
    const base = this.options.domain.replace(/\/+$/, '');
    try {
      const tokenRes = await this.fetch(`${base}/open-apis/authen/v2/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          client_id: this.options.appId,
          client_secret: this.options.appSecret,
          code,
          redirect_uri: redirectUri,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const tokenBody = (await tokenRes.json().catch(() => ({}))) as Record<string, unknown>;
      const token = TokenSchema.safeParse(tokenBody);
      if (!tokenRes.ok || !token.success || token.data.code !== 0) {
        const why = tokenBody.error_description ?? tokenBody.msg ?? tokenBody.error ?? `HTTP ${tokenRes.status}`;
        return { ok: false, reason: `Feishu refused the code: ${String(why)}` };
      }
      const infoRes = await this.fetch(`${base}/open-apis/authen/v1/user_info`, {
        headers: { authorization: `Bearer ${token.data.access_token}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const infoBody = (await infoRes.json().catch(() => ({}))) as Record<string, unknown>;
      const info = UserInfoSchema.safeParse(infoBody);
      if (!infoRes.ok || !info.success) {
        return {
          ok: false,
          reason: `Feishu did not say who signed in: ${String(infoBody.msg ?? `HTTP ${infoRes.status}`)}`,
        };
      }
      return { ok: true, user: { openId: info.data.data.open_id, name: info.data.data.name } };
    } catch (err) {
      return { ok: false, reason: `Feishu is unreachable: ${(err as Error).message}` };
    }
  }
}

/** open.feishu.cn → accounts.feishu.cn, open.larksuite.com → accounts.larksuite.com; other hosts unchanged. */
export function accountsOrigin(domain: string): string {
  const u = new URL(domain);
  if (u.hostname.startsWith('open.')) u.hostname = `accounts.${u.hostname.slice(5)}`;
  return u.origin;
}
