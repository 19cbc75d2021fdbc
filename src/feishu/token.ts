/**
 * The tenant access token, cached by us (not by the SDK's process-global cache): fetched on first use,
 * refreshed `refreshBeforeMs` before it expires, and dropped when Feishu says it is invalid (99991663/99991668).
 * Concurrent callers share one fetch.
 */
import type { Clock } from '../ports/clock.js';

export interface TokenGrant {
  token: string;
  /** Lifetime in seconds, as Feishu's `expire`. */
  expireSeconds: number;
}

export class TenantTokenCache {
  private token: string | undefined;
  private expiresAt = 0;
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<TokenGrant>,
    private readonly clock: Clock,
    private readonly refreshBeforeMs = 5 * 60_000,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.clock.now() < this.expiresAt - this.refreshBeforeMs) return this.token;
    this.inflight ??= this.fetchToken()
      .then((grant) => {
        this.token = grant.token;
        this.expiresAt = this.clock.now() + grant.expireSeconds * 1000;
        return grant.token;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /** Forget a token Feishu refused, unless a newer one replaced it meanwhile. */
  invalidate(token?: string): void {
    if (token === undefined || token === this.token) {
      this.token = undefined;
      this.expiresAt = 0;
    }
  }
}
