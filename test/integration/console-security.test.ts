import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionSecret } from '../../src/console/index.js';
import { SessionCodec } from '../../src/console/session.js';
import {
  ADMIN_TOKEN,
  ALICE,
  BOB,
  CAROL,
  csrfOf,
  fakeDecider,
  type Harness,
  seedIncident,
  signIn,
  startHarness,
} from './console-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API under test
const json = async (r: Response): Promise<any> => r.json();

const SECRET_VALUE = 'hunter2-do-not-show-me';

describe('console security', () => {
  let h: Harness;
  let bob: string;
  let carol: string;
  let incidentId: number;
  beforeAll(async () => {
    const decider = fakeDecider(() => h.app);
    h = await startHarness({ approvals: decider });
    const inc = seedIncident(h, {
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', db_password: SECRET_VALUE },
      title: `crash with token=${SECRET_VALUE}`,
    });
    incidentId = inc.id;
    h.app.ctx.store.timeline.add(
      inc.id,
      { kind: 'note', detail: { text: `password: ${SECRET_VALUE} and Bearer abcdefghijklmnop1234` } },
      'system',
      Date.now(),
    );
    bob = await signIn(h, BOB.openId);
    carol = await signIn(h, CAROL.openId);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('redirects a request without a session to the sign-in page, and answers the API with 401', async () => {
    const page = await fetch(`${h.base}/console/incidents?status=open`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fincidents%3Fstatus%3Dopen');
    const api = await fetch(`${h.base}/console/api/incidents`);
    expect(api.status).toBe(401);
    expect((await json(api)).message).toContain('no_session');
    const events = await fetch(`${h.base}/console/events`);
    expect(events.status).toBe(401);
  });

  it('refuses a forged, altered or expired session cookie', async () => {
    const value = bob.slice('sre_console='.length);
    const [body, mac] = value.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const altered = Buffer.from(JSON.stringify({ ...payload, sub: ALICE.openId }), 'utf8').toString('base64url');
    for (const [cookie, reason] of [
      [`sre_console=${altered}.${mac}`, 'forged'],
      [`sre_console=${body}.${'A'.repeat(mac.length)}`, 'forged'],
      ['sre_console=garbage', 'malformed'],
    ] as const) {
      const r = await fetch(`${h.base}/console/api/incidents`, { headers: { cookie } });
      expect(r.status).toBe(401);
      expect((await json(r)).message).toContain(reason);
      const page = await fetch(`${h.base}/console`, { headers: { cookie }, redirect: 'manual' });
      expect(page.status).toBe(302);
    }
    // Signed with the right key but past its expiry.
    const codec = new SessionCodec(sessionSecret(h.app.ctx.config));
    const old = codec.issue({ openId: BOB.openId, name: 'Bob' }, Date.now() - 13 * 3_600_000).cookie;
    const r = await fetch(`${h.base}/console/api/incidents`, { headers: { cookie: `sre_console=${old}` } });
    expect(r.status).toBe(401);
    expect((await json(r)).message).toContain('expired');
    // A cookie signed with another key (another deployment) is forged here.
    const other = new SessionCodec('another-deployment-secret').issue(
      { openId: BOB.openId, name: 'Bob' },
      Date.now(),
    ).cookie;
    expect(
      (await fetch(`${h.base}/console/api/incidents`, { headers: { cookie: `sre_console=${other}` } })).status,
    ).toBe(401);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, scoped to /console, with an expiry', async () => {
    const start = await fetch(`${h.base}/console/login/feishu`, { redirect: 'manual' });
    const state = start.headers.get('set-cookie') ?? '';
    expect(state).toMatch(/httponly/i);
    expect(state).toMatch(/samesite=lax/i);
    expect(state).toMatch(/path=\/console/i);
    expect(state).toMatch(/expires=/i);
  });

  it('refuses a cross-site POST: a foreign Origin, Sec-Fetch-Site cross-site, or no CSRF token', async () => {
    const csrf = await csrfOf(h, bob);
    const url = `${h.base}/console/api/incidents/${incidentId}/ack`;
    const attempts: Record<string, string>[] = [
      { cookie: bob, 'x-csrf-token': csrf, origin: 'https://evil.example', 'content-type': 'application/json' },
      { cookie: bob, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      { cookie: bob, 'content-type': 'text/plain' },
      { cookie: bob, 'x-csrf-token': 'wrong', 'content-type': 'application/json' },
      { cookie: bob, 'x-csrf-token': await csrfOf(h, carol), 'content-type': 'application/json' },
    ];
    for (const headers of attempts) {
      const r = await fetch(url, { method: 'POST', headers, body: '{}' });
      expect(r.status).toBe(403);
      expect((await json(r)).error).toBe('csrf');
    }
    expect(h.app.ctx.store.incidents.get(incidentId)?.status).toBe('open');
  });

  it("refuses a viewer's ack with the reason and an audit row; the on-call operator's goes through once", async () => {
    const r = await fetch(`${h.base}/console/api/incidents/${incidentId}/ack`, {
      method: 'POST',
      headers: { cookie: carol, 'x-csrf-token': await csrfOf(h, carol), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(403);
    const body = await json(r);
    expect(body.message).toContain('operator');
    expect(h.app.ctx.store.audit.list({ action: 'incident.ack' })[0]).toMatchObject({
      actor: CAROL.openId,
      decision: 'denied',
      target: `incident:${incidentId}`,
    });
    const csrf = await csrfOf(h, bob);
    const ack = () =>
      fetch(`${h.base}/console/api/incidents/${incidentId}/ack`, {
        method: 'POST',
        headers: { cookie: bob, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: '{}',
      });
    const [a, b] = await Promise.all([ack(), ack()]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(h.app.ctx.store.incidents.get(incidentId)).toMatchObject({ status: 'acknowledged', ackedBy: BOB.openId });
    expect(h.app.ctx.store.timeline.list(incidentId).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('refuses an approval by a viewer and an operator, naming the role', async () => {
    h.app.ctx.store.approvals.create(
      {
        id: 'ap-sec-1',
        runId: null,
        incidentId,
        action: 'runbook:pod-restart',
        params: {},
        requestedBy: BOB.openId,
        chatId: null,
        expiresAt: null,
      },
      Date.now(),
    );
    for (const cookie of [carol, bob]) {
      const r = await fetch(`${h.base}/console/api/approvals/ap-sec-1/approve`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': await csrfOf(h, cookie), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(r.status).toBe(403);
      expect((await json(r)).message).toContain('approver');
    }
    expect(h.app.ctx.store.approvals.get('ap-sec-1')?.status).toBe('pending');
  });

  it('accepts the admin token for reads and actions, and refuses a wrong one', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = await fetch(`${h.base}/console/api/incidents?status=active`, { headers: auth });
    expect(list.status).toBe(200);
    expect((await json(list)).total).toBeGreaterThan(0);
    const wrong = await fetch(`${h.base}/console/api/incidents`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const resolved = await fetch(`${h.base}/console/api/incidents/${incidentId}/resolve`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'fixed from a script' }),
    });
    expect(resolved.status).toBe(200);
    expect(h.app.ctx.store.incidents.get(incidentId)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'console-admin',
    });
    const bad = await fetch(`${h.base}/console/api/incidents/abc/resolve`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(400);
  });

  it('shows no secret value, app secret, admin token or session on any page or API answer', async () => {
    const paths = [
      '/console',
      '/console/incidents',
      `/console/incidents/${incidentId}`,
      '/console/alerts',
      '/console/runbooks',
      '/console/runbooks/pod-restart',
      '/console/approvals',
      '/console/audit',
      '/console/audit.csv',
      '/console/metrics',
      `/console/api/incidents/${incidentId}`,
      '/console/api/incidents?q=crash',
      '/console/api/audit',
      '/console/api/approvals',
    ];
    const session = bob.slice('sre_console='.length);
    for (const path of paths) {
      const r = await fetch(`${h.base}${path}`, { headers: { cookie: bob } });
      expect(r.status, path).toBe(200);
      const text = await r.text();
      for (const secret of [SECRET_VALUE, h.emu.app.appSecret, ADMIN_TOKEN, session, 'abcdefghijklmnop1234']) {
        expect(text.includes(secret), `${path} shows ${secret.slice(0, 6)}…`).toBe(false);
      }
    }
  });

  it('tells a signed-in stranger (no role) why the console is closed to them', async () => {
    h.emu.addUser({ openId: 'ou_stranger000000000000000000000001', name: 'Mallory' });
    const mallory = await signIn(h, 'ou_stranger000000000000000000000001');
    const page = await fetch(`${h.base}/console`, { headers: { cookie: mallory } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('Mallory');
    const api = await fetch(`${h.base}/console/api/incidents`, { headers: { cookie: mallory } });
    expect(api.status).toBe(403);
  });

  it('signs out: the cookie is cleared, and a sign-out from another site is refused', async () => {
    const cookie = await signIn(h, BOB.openId);
    const csrf = await csrfOf(h, cookie);
    const foreign = await fetch(`${h.base}/console/logout`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const out = await fetch(`${h.base}/console/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('sre_console='))).toMatch(
      /^sre_console=;.*expires=Thu, 01 Jan 1970/i,
    );
  });

  it('answers bad input with a 4xx and a reason, never a stack', async () => {
    const r = await fetch(`${h.base}/console/api/incidents?since=yesterday-ish`, { headers: { cookie: bob } });
    expect(r.status).toBe(400);
    expect((await json(r)).message).toContain('since');
    const m = await fetch(`${h.base}/console/api/alerts?match=${encodeURIComponent('namespace=~"("')}`, {
      headers: { cookie: bob },
    });
    expect(m.status).toBe(400);
    const page = await fetch(`${h.base}/console/incidents/999999`, { headers: { cookie: bob } });
    expect(page.status).toBe(404);
    const next = await fetch(`${h.base}/console/login/feishu?next=//evil.example/`, { redirect: 'manual' });
    expect(new URL(next.headers.get('location') as string).searchParams.get('redirect_uri')).toBe(
      `${h.base}/console/oauth/callback`,
    );
    const callback = await fetch(`${h.base}/console/oauth/callback?code=x&state=y`, { redirect: 'manual' });
    expect(callback.headers.get('location')).toMatch(/^\/console\/login\?error=/);
  });
});
