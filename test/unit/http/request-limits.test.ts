/** The real Koa server on loopback, against clients that are slow, oversized or send bytes that are not text. */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { mountAlertmanagerWebhook } from '../../../src/http/routes/alertmanager.js';
import { HttpServer } from '../../../src/http/server.js';
import { createLogger, type Logger, silentLogger } from '../../../src/shared/log.js';
import { Metrics } from '../../../src/shared/metrics.js';

let server: HttpServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close(1000);
  server = undefined;
});

async function start(o: { requestTimeoutMs?: number; log?: Logger; setup?: (s: HttpServer) => void } = {}) {
  const metrics = new Metrics({ defaultMetrics: false });
  server = new HttpServer({
    log: o.log ?? silentLogger(),
    metrics,
    ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
  });
  server.router.post('/echo', (ctx) => {
    ctx.body = { got: ctx.request.body ?? null };
  });
  o.setup?.(server);
  const addr = await server.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${addr.port}`, port: addr.port, metrics };
}

/** A raw TCP client: what it received and when the server closed the connection. */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (d) => {
    received += d.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
  return { socket, closed, received: () => received };
}

/** Writes one byte of `text` per `everyMs` until it is all sent or the connection is gone. */
function trickle(socket: Socket, text: string, everyMs: number): { sent: () => number } {
  let i = 0;
  const timer = setInterval(() => {
    if (i >= text.length || socket.destroyed || !socket.writable) return clearInterval(timer);
    socket.write(text[i++] as string);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
  return { sent: () => i };
}

describe('slow clients', () => {
  it('answers a body trickled at a byte a second with 408 and closes the connection within the timeout', async () => {
    const { port } = await start({ requestTimeoutMs: 1500 });
    const c = rawClient(port);
    const body = JSON.stringify({ text: 'x'.repeat(40) });
    await new Promise<void>((r) => c.socket.once('connect', () => r()));
    c.socket.write(
      `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const started = performance.now();
    const t = trickle(c.socket, body, 1000);
    const closedAt = await c.closed;
    expect(closedAt - started).toBeLessThan(1500 + 1000);
    expect(closedAt - started).toBeGreaterThanOrEqual(1400);
    expect(t.sent()).toBeLessThan(4);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(c.received()).toMatch(/connection: close/i);
    const json = JSON.parse(c.received().slice(c.received().indexOf('\r\n\r\n') + 4)) as Record<string, string>;
    expect(json.error).toBe('request_timeout');
    expect(json.message).toMatch(/not received within 1\.5 s .*send the whole body at once/);
  });

  it('closes a connection whose headers trickle in (408 from the server, not a held socket)', async () => {
    const { port } = await start({ requestTimeoutMs: 1000 });
    const c = rawClient(port);
    await new Promise<void>((r) => c.socket.once('connect', () => r()));
    const started = performance.now();
    trickle(c.socket, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(100)}\r\n\r\n`, 200);
    const closedAt = await c.closed;
    expect(closedAt - started).toBeLessThan(1000 + 250 + 1000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('does not cut off a handler that is slow after the whole body arrived', async () => {
    const { base } = await start({
      requestTimeoutMs: 300,
      setup: (s) =>
        s.router.post('/slow', async (ctx) => {
          await new Promise((r) => setTimeout(r, 800));
          ctx.body = { done: true };
        }),
    });
    const res = await fetch(`${base}/slow`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
  });
});

describe('request ids', () => {
  it('echoes a short x-request-id and replaces an 8 KB one with a fresh id', async () => {
    const { base } = await start();
    const short = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'am-4711.retry_2' } });
    expect(short.headers.get('x-request-id')).toBe('am-4711.retry_2');
    const huge = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'r'.repeat(8192) } });
    expect(huge.status).toBe(200);
    expect(huge.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'id with spaces <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('bodies that are not text', () => {
  const post = (base: string, body: Uint8Array | string) =>
    fetch(`${base}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('refuses invalid UTF-8 inside a JSON string with 400 naming the byte and its offset', async () => {
    const { base } = await start();
    const bytes = Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const res = await post(base, bytes);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'malformed_json',
      message: 'request body is not valid UTF-8: byte 0xe9 at offset 12 does not form a character; send JSON as UTF-8',
      detail: { offset: 12 },
    });
    // Overlong encodings and encoded surrogates are not UTF-8 either.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ]) {
      const r = await post(base, Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bad), Buffer.from('"}')]));
      expect(r.status, bad.join(',')).toBe(400);
      expect(((await r.json()) as { message: string }).message).toContain('offset 6');
    }
  });

  it('refuses a lone surrogate escape, naming where it is, and accepts real non-ASCII text', async () => {
    const { base } = await start();
    const lone = await post(base, '{"alerts":[{"labels":{"pod":"a\\ud800b"}}]}');
    expect(lone.status).toBe(400);
    expect(((await lone.json()) as { message: string }).message).toMatch(
      /lone UTF-16 surrogate .* at \$\.alerts\[0\]\.labels\.pod/,
    );
    const ok = await post(base, '{"text":"磁盘已满 \\ud83d\\udd25 café","literal":"\\\\ud800"}');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ got: { text: '磁盘已满 🔥 café', literal: '\\ud800' } });
  });
});

describe('metrics and logs of refused requests', () => {
  it('counts a malformed-JSON 400 under the route it was sent to, and unknown paths as unmatched', async () => {
    const { base, metrics } = await start();
    await fetch(`${base}/echo`, { method: 'POST', body: '{"a":', headers: { 'content-type': 'application/json' } });
    await fetch(`${base}/nowhere`, { method: 'POST', body: '{"a":', headers: { 'content-type': 'application/json' } });
    const text = await metrics.registry.metrics();
    expect(text).toContain('sre_nanobot_http_requests_total{method="POST",route="/echo",status="400"} 1');
    expect(text).toContain('sre_nanobot_http_requests_total{method="POST",route="unmatched",status="400"} 1');
  });

  it('logs a missing Alertmanager bearer token readably, and never the token that was sent', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { base } = await start({
      log: createLogger('info', sink),
      setup: (s) => mountAlertmanagerWebhook(s.router, { token: 'am-s3cret-token', accept: async () => 1 }),
    });
    const url = `${base}/webhooks/alertmanager`;
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(url, { method: 'POST', body: '{}', headers })).status).toBe(401);
    const wrong = { ...headers, authorization: 'Bearer wrong-but-secret-1234' };
    expect((await fetch(url, { method: 'POST', body: '{}', headers: wrong })).status).toBe(401);
    const refusals = lines
      .map((l) => JSON.parse(l) as { msg: string; code?: string })
      .filter((l) => l.code === 'unauthorized');
    expect(refusals.map((l) => l.msg)).toEqual([
      'missing "Authorization: Bearer <token>"',
      'bearer token does not match ALERTMANAGER_WEBHOOK_TOKEN',
    ]);
    expect(lines.join('\n')).not.toContain('wrong-but-secret-1234');
    expect(lines.join('\n')).not.toContain('am-s3cret-token');
  });
});
