import { describe, expect, it } from 'vitest';
import { safeNext } from '../../../src/console/auth-routes.js';
import { accountsOrigin } from '../../../src/console/feishu-oauth.js';
import { SESSION_TTL_MS, SessionCodec } from '../../../src/console/session.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');

describe('SessionCodec', () => {
  const codec = new SessionCodec('a-secret-of-some-length');

  it('round-trips a session until it expires', () => {
    const { cookie, session } = codec.issue({ openId: 'ou_a', name: '张三' }, NOW);
    const ok = codec.verify(cookie, NOW + SESSION_TTL_MS - 1);
    expect(ok).toEqual({ ok: true, value: session });
    expect(codec.verify(cookie, NOW + SESSION_TTL_MS)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses an altered payload, a foreign key, and garbage', () => {
    const { cookie } = codec.issue({ openId: 'ou_a', name: 'A' }, NOW);
    const [body, mac] = cookie.split('.') as [string, string];
    const json = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...json, sub: 'ou_admin' })).toString('base64url')}.${mac}`;
    expect(codec.verify(forged, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(new SessionCodec('another-secret').verify(cookie, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(codec.verify('no-dot', NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(codec.verify(undefined, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(codec.verify(`${'x'.repeat(5000)}.y`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps a sign-in state apart from a session: one cannot stand in for the other', () => {
    const { cookie } = codec.issueState('/console/incidents', NOW);
    expect(codec.verifyState(cookie, NOW)).toMatchObject({ ok: true, value: { next: '/console/incidents' } });
    expect(codec.verify(cookie, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(codec.verifyState(cookie, NOW + 11 * 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('derives a CSRF token per session that another session does not pass', () => {
    const a = codec.issue({ openId: 'ou_a', name: 'A' }, NOW).session;
    const b = codec.issue({ openId: 'ou_a', name: 'A' }, NOW).session;
    expect(a.sid).not.toBe(b.sid);
    expect(codec.checkCsrf(a.sid, codec.csrfToken(a.sid))).toBe(true);
    expect(codec.checkCsrf(a.sid, codec.csrfToken(b.sid))).toBe(false);
    expect(codec.checkCsrf(a.sid, undefined)).toBe(false);
  });
});

describe('sign-in redirects', () => {
  it('returns only to a path inside the console', () => {
    expect(safeNext('/console/incidents?status=open')).toBe('/console/incidents?status=open');
    expect(safeNext('/console')).toBe('/console');
    for (const bad of [
      '//evil.example/console',
      'https://evil.example',
      '/consoleX',
      '/console/\\evil',
      undefined,
      ['/console'],
    ]) {
      expect(safeNext(bad)).toBe('/console');
    }
  });

  it("sends the browser to Feishu's accounts host for the open.* domains", () => {
    expect(accountsOrigin('https://open.feishu.cn')).toBe('https://accounts.feishu.cn');
    expect(accountsOrigin('https://open.larksuite.com')).toBe('https://accounts.larksuite.com');
    expect(accountsOrigin('http://127.0.0.1:3001')).toBe('http://127.0.0.1:3001');
  });
});
