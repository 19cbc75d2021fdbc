/**
 * Signed console sessions and CSRF tokens. A session cookie is `base64url(payload).base64url(HMAC-SHA256)`;
 * it carries who signed in (the Feishu open_id and name), a random session id and an expiry. Nothing else is
 * stored: a forged, altered or expired cookie fails `verify` with a reason. The CSRF token of a session is an
 * HMAC of its session id under a separate label, so a page can embed it and a cross-site form cannot know it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const SESSION_COOKIE = 'sre_console';
export const STATE_COOKIE = 'sre_console_oauth';
/** A signed-in session lasts 12 hours. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** A sign-in must come back from Feishu within 10 minutes. */
export const STATE_TTL_MS = 10 * 60_000;

const SessionSchema = z.object({
  v: z.literal(1),
  sid: z.string().min(16),
  sub: z.string().min(1),
  name: z.string(),
  exp: z.number().int(),
});
export type Session = z.infer<typeof SessionSchema>;

const StateSchema = z.object({ v: z.literal(1), state: z.string().min(16), next: z.string(), exp: z.number().int() });
export type SignInState = z.infer<typeof StateSchema>;

export type Verified<T> = { ok: true; value: T } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export class SessionCodec {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = createHmac('sha256', secret).update('sre-nanobot console session key').digest();
  }

  issue(
    who: { openId: string; name: string },
    now: number,
    ttlMs = SESSION_TTL_MS,
  ): { cookie: string; session: Session } {
    const session: Session = {
      v: 1,
      sid: randomBytes(16).toString('base64url'),
      sub: who.openId,
      name: who.name,
      exp: now + ttlMs,
    };
    return { cookie: this.seal(session), session };
  }

  verify(cookie: string | undefined, now: number): Verified<Session> {
    return this.open(cookie, now, SessionSchema);
  }

  issueState(next: string, now: number): { cookie: string; state: string } {
    const state = randomBytes(18).toString('base64url');
    return { cookie: this.seal({ v: 1, state, next, exp: now + STATE_TTL_MS }), state };
  }

  verifyState(cookie: string | undefined, now: number): Verified<SignInState> {
    return this.open(cookie, now, StateSchema);
  }

  /** The CSRF token of a session (for headless bearer use, of the admin token's fixed id). */
  csrfToken(sid: string): string {
    return this.mac(`csrf:${sid}`);
  }

  checkCsrf(sid: string, given: string | undefined): boolean {
    return given !== undefined && safeEqual(this.csrfToken(sid), given);
  }

  private seal(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  private open<T extends { exp: number }>(cookie: string | undefined, now: number, schema: z.ZodType<T>): Verified<T> {
    if (!cookie) return { ok: false, reason: 'malformed' };
    const dot = cookie.indexOf('.');
    if (dot <= 0 || cookie.length > 4096) return { ok: false, reason: 'malformed' };
    const body = cookie.slice(0, dot);
    if (!safeEqual(this.mac(body), cookie.slice(dot + 1))) return { ok: false, reason: 'forged' };
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    if (parsed.data.exp <= now) return { ok: false, reason: 'expired' };
    return { ok: true, value: parsed.data };
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
