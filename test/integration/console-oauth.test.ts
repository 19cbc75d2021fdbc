import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuOAuth } from '../../src/console/feishu-oauth.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ALICE, startTestEmulator } from '../helpers/feishu-emulator.js';

const REDIRECT = 'http://127.0.0.1:9/console/oauth/callback';

describe('Feishu web-app sign-in against the emulator', () => {
  let emu: FeishuEmulator;
  let oauth: FeishuOAuth;
  beforeAll(async () => {
    emu = await startTestEmulator();
    oauth = new FeishuOAuth({ domain: emu.url, appId: emu.app.appId, appSecret: emu.app.appSecret });
  });
  afterAll(async () => {
    await emu?.close();
  });

  /** The consent page's choice of a person, as a browser would click it: the code it redirects with. */
  async function codeFor(openId: string, redirect = REDIRECT): Promise<string> {
    const page = await fetch(oauth.authorizeUrl(redirect, 'state-123'));
    expect(page.status).toBe(200);
    const html = await page.text();
    const href = /href="([^"]*authorize\/grant[^"]*)"/.exec(html.replace(/&#38;/g, '&'))?.[1];
    const grant = new URL((href as string).replace(/user=[^&]*/, `user=${openId}`), emu.url);
    const r = await fetch(grant, { redirect: 'manual' });
    const back = new URL(r.headers.get('location') as string);
    expect(back.searchParams.get('state')).toBe('state-123');
    return back.searchParams.get('code') as string;
  }

  it('lists the tenant people on the consent page and signs one in', async () => {
    const page = await (await fetch(oauth.authorizeUrl(REDIRECT, 'state-123'))).text();
    expect(page).toContain(ALICE.name);
    const r = await oauth.signIn(await codeFor(ALICE.openId), REDIRECT);
    expect(r).toEqual({ ok: true, user: { openId: ALICE.openId, name: ALICE.name } });
  });

  it('uses a code once, only with its redirect URL and the app secret', async () => {
    const code = await codeFor(ALICE.openId);
    expect(await oauth.signIn(code, 'http://127.0.0.1:9/other')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('redirect_uri'),
    });
    expect(await oauth.signIn(code, REDIRECT)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unknown, used or expired'),
    });
    const wrongSecret = new FeishuOAuth({ domain: emu.url, appId: emu.app.appId, appSecret: 'nope' });
    expect(await wrongSecret.signIn(await codeFor(ALICE.openId), REDIRECT)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('client_secret'),
    });
  });

  it('refuses a consent request for another app and user_info without a user token', async () => {
    const other = new FeishuOAuth({ domain: emu.url, appId: 'cli_0000000000000000', appSecret: 'x' });
    expect((await fetch(other.authorizeUrl(REDIRECT, 's'))).status).toBe(400);
    const info = await fetch(`${emu.url}/open-apis/authen/v1/user_info`, {
      headers: { authorization: 'Bearer u-forged' },
    });
    expect(info.status).toBe(401);
  });

  it('says when Feishu is unreachable instead of throwing', async () => {
    const down = new FeishuOAuth({ domain: 'http://127.0.0.1:9', appId: 'a', appSecret: 'b', timeoutMs: 2000 });
    expect(await down.signIn('code', REDIRECT)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unreachable'),
    });
  });
});
