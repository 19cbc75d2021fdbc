/**
 * Who is using the console. A request is signed in by
 *
 * - `Authorization: Bearer <CONSOLE_ADMIN_TOKEN>` (headless use: acts as an admin named `console-admin`), or
 * - the signed session cookie set after Feishu sign-in (the OAuth 2 authorisation code flow of the Open
 *   Platform's web-app login): the open_id it names is resolved to an actor by the same people directory as the
 *   chat, so roles and on-call rights are the chat's.
 *
 * Anything else is not signed in: a page redirects to the sign-in page, an API call gets 401 with the reason
 * (`no session`, `forged`, `expired`). Everyone whose actor may `report.read` reads. A state-changing request
 * must come from the console's own origin (Origin / Sec-Fetch-Site) and, with a cookie, carry the session's
 * CSRF token in `x-csrf-token`.
 */
import type { Context } from 'koa';
import type { Actor, ActorResolver } from '../access/actor.js';
import { can } from '../access/can.js';
import type { Clock } from '../ports/clock.js';
import { SESSION_COOKIE, type SessionCodec, safeEqual } from './session.js';

export const ADMIN_ID = 'console-admin';

export interface Viewer {
  actor: Actor;
  name: string;
  via: 'session' | 'token';
  /** Session id (the CSRF token is derived from it); the admin token's is fixed. */
  sid: string;
}

export type Identified =
  | { ok: true; viewer: Viewer }
  | { ok: false; status: 401; reason: 'no_session' | 'malformed' | 'forged' | 'expired' | 'bad_token' }
  | { ok: false; status: 403; reason: 'no_role'; name: string; refusal: string };

export interface AuthDeps {
  codec: SessionCodec;
  actors: ActorResolver;
  clock: Clock;
  adminToken: string | undefined;
}

export function identify(ctx: Context, deps: AuthDeps): Identified {
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
  if (bearer !== undefined) {
    if (!deps.adminToken || !safeEqual(bearer, deps.adminToken)) return { ok: false, status: 401, reason: 'bad_token' };
    const actor: Actor = { openId: ADMIN_ID, person: { id: ADMIN_ID, name: 'admin token', roles: ['admin'] } };
    return { ok: true, viewer: { actor, name: 'admin token', via: 'token', sid: ADMIN_ID } };
  }
  const cookie = ctx.cookies.get(SESSION_COOKIE);
  if (!cookie) return { ok: false, status: 401, reason: 'no_session' };
  const v = deps.codec.verify(cookie, deps.clock.now());
  if (!v.ok) return { ok: false, status: 401, reason: v.reason };
  const actor = deps.actors.resolve(v.value.sub);
  const name = actor.person?.name ?? v.value.name ?? v.value.sub;
  const decision = can(actor, 'report.read');
  if (!decision.ok) return { ok: false, status: 403, reason: 'no_role', name, refusal: decision.reason };
  return { ok: true, viewer: { actor, name, via: 'session', sid: v.value.sid } };
}

/** Why a state-changing request is refused before it is looked at, or undefined when it may proceed. */
export function crossSiteProblem(ctx: Context, viewer: Viewer, codec: SessionCodec): string | undefined {
  const site = ctx.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return `request from another site (Sec-Fetch-Site: ${site})`;
  const origin = ctx.get('origin');
  if (origin && origin !== selfOrigin(ctx)) return `request from another origin (${origin})`;
  if (viewer.via === 'token') return undefined;
  if (!codec.checkCsrf(viewer.sid, ctx.get('x-csrf-token') || undefined)) return 'missing or wrong CSRF token';
  return undefined;
}

/** This server's origin as the browser sees it (`X-Forwarded-Proto`/`-Host` honoured behind a proxy). */
export function selfOrigin(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}

export function roleNames(actor: Actor): string {
  if (actor.person) return actor.person.roles.join(', ');
  return actor.openAccess ? 'open access' : '—';
}

/** Session cookies: HttpOnly, SameSite=Lax (the Feishu redirect back is a top-level navigation), Secure on https. */
export function cookieOptions(ctx: Context, maxAgeMs: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.secure,
    path: '/console',
    maxAge: maxAgeMs,
    overwrite: true,
    signed: false,
  };
}
