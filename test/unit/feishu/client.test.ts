import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../../src/feishu/client.js';
import { FeishuApiError } from '../../../src/feishu/errors.js';
import { silentLogger } from '../../../src/shared/log.js';
import { FakeClock } from '../../helpers/fake-clock.js';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Handler = (req: IncomingMessage, body: string) => Reply;

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A loopback stand-in for the Open Platform: token endpoint plus whatever `routes` answers. */
async function openPlatform(routes: Record<string, Handler>) {
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  let tokens = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      let reply: Reply;
      if (req.url === '/open-apis/auth/v3/tenant_access_token/internal') {
        tokens++;
        reply = { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: `t-${tokens}`, expire: 7200 } };
      } else {
        const h = routes[`${req.method} ${req.url?.split('?')[0]}`];
        reply = h ? h(req, body) : { status: 404, body: { code: 404, msg: 'no route' } };
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const clock = new FakeClock();
  const client = new FeishuClient({
    appId: 'cli_a5f3c2e1d4b60789',
    appSecret: 's',
    domain: `http://127.0.0.1:${port}/`,
    clock,
    log: silentLogger(),
    timeoutMs: 5000,
  });
  return { client, seen, clock, tokenFetches: () => tokens };
}

const ok = (data: unknown): Reply => ({ status: 200, body: { code: 0, msg: 'success', data } });

describe('Feishu client', () => {
  it('sends with a cached tenant token and refreshes it before expiry', async () => {
    const { client, seen, clock, tokenFetches } = await openPlatform({
      'POST /open-apis/im/v1/messages': () => ok({ message_id: 'om_1' }),
    });
    expect(await client.sendText('oc_1', 'hi', { uuid: 'u1' })).toEqual({ messageId: 'om_1' });
    await client.sendText('oc_1', 'again');
    expect(tokenFetches()).toBe(1);
    const send = seen.find((s) => s.url.startsWith('/open-apis/im/v1/messages'));
    expect(send?.url).toBe('/open-apis/im/v1/messages?receive_id_type=chat_id');
    expect(send?.auth).toBe('Bearer t-1');
    expect(JSON.parse(send?.body ?? '{}')).toEqual({
      receive_id: 'oc_1',
      msg_type: 'text',
      content: '{"text":"hi"}',
      uuid: 'u1',
    });
    await clock.advance(7200_000 - 4 * 60_000);
    await client.sendText('oc_1', 'later');
    expect(tokenFetches()).toBe(2);
  });

  it('refreshes the token and retries once when Feishu says it is invalid', async () => {
    let calls = 0;
    const { client, seen } = await openPlatform({
      'PATCH /open-apis/im/v1/messages/om_9': () =>
        ++calls === 1 ? { status: 400, body: { code: 99991663, msg: 'Invalid access token' } } : ok({}),
    });
    await client.patchCard('om_9', { schema: '2.0' });
    expect(seen.filter((s) => s.method === 'PATCH').map((s) => s.auth)).toEqual(['Bearer t-1', 'Bearer t-2']);
  });

  it('maps failures to FeishuApiError with code, status and retry-after', async () => {
    const { client } = await openPlatform({
      'POST /open-apis/im/v1/messages': () => ({
        status: 429,
        body: { code: 99991400, msg: 'request trigger frequency limit' },
        headers: { 'x-ogw-ratelimit-reset': '7' },
      }),
      'POST /open-apis/im/v1/messages/om_1/reply': () => ({
        status: 400,
        body: { code: 230002, msg: 'bot not in chat' },
      }),
    });
    const limited = await client.sendText('oc_1', 'x').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(FeishuApiError);
    expect(limited).toMatchObject({ feishuCode: 99991400, httpStatus: 429, retryAfterMs: 7000, kind: 'rate_limited' });
    const gone = await client.reply('om_1', { msgType: 'text', content: '{}' }).catch((e: unknown) => e);
    expect(gone).toMatchObject({ feishuCode: 230002, httpStatus: 400, kind: 'permanent' });
  });

  it('reads the bot identity and delivers delayed card updates', async () => {
    const { client, seen } = await openPlatform({
      'GET /open-apis/bot/v3/info': () => ({
        status: 200,
        body: { code: 0, msg: 'ok', bot: { open_id: 'ou_bot', app_name: 'SRE Bot' } },
      }),
      'POST /open-apis/interactive/v1/card/update': () => ({ status: 200, body: { code: 0, msg: 'ok' } }),
    });
    expect(await client.botInfo()).toEqual({ openId: 'ou_bot', name: 'SRE Bot' });
    await client.delayedCardUpdate('c-tok', { schema: '2.0' });
    expect(JSON.parse(seen.at(-1)?.body ?? '{}')).toEqual({ token: 'c-tok', card: { schema: '2.0' } });
  });
});
