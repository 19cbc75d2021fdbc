import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../../src/http/server.js';
import { CodedError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Metrics } from '../../../src/shared/metrics.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close(1000);
  server = undefined;
});

async function start(setup: (s: HttpServer) => void = () => {}): Promise<string> {
  server = new HttpServer({ log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  setup(server);
  const addr = await server.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${addr.port}`;
}

describe('HttpServer', () => {
  it('serves liveness, readiness and metrics', async () => {
    let dbOk = true;
    const base = await start((s) =>
      s.addReadinessCheck('database', async () => ({ ok: dbOk, detail: dbOk ? undefined : 'closed' })),
    );
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    dbOk = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'not_ready',
      checks: { database: { ok: false, detail: 'closed' } },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('sre_nanobot_http_requests_total{method="GET",route="/healthz",status="200"} 1');
  });

  it('answers malformed JSON with 400 and the reason', async () => {
    const base = await start((s) =>
      s.router.post('/echo', (ctx) => {
        ctx.body = ctx.request.body;
      }),
    );
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('malformed_json');
    expect(body.message).toMatch(/^request body is not valid JSON: /);
    const ok = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await ok.json()).toEqual({ a: 1 });
  });

  it('refuses bodies over 1 MiB with 413, declared or streamed', async () => {
    const base = await start((s) =>
      s.router.post('/echo', (ctx) => {
        ctx.body = { n: ctx.request.rawBody?.length };
      }),
    );
    const big = `"${'x'.repeat(1024 * 1024 + 10)}"`;
    const res = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
    // Chunked, no content-length: the stream is cut at the limit.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
        c.close();
      },
    });
    const chunked = await fetch(`${base}/echo`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('maps coded errors to their status with an actionable message, and hides internals', async () => {
    const base = await start((s) => {
      s.router.post('/signed', () => {
        throw new CodedError('signature_mismatch', 'signature mismatch: check FEISHU_ENCRYPT_KEY');
      });
      s.router.get('/boom', () => {
        throw new Error('secret internal detail at line 42');
      });
      s.router.get('/busy', () => {
        throw new CodedError('unavailable', 'too much waiting; send it again later', {
          detail: { retryAfterSeconds: 30 },
        });
      });
    });
    const unauthorized = await fetch(`${base}/signed`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      error: 'signature_mismatch',
      message: 'signature mismatch: check FEISHU_ENCRYPT_KEY',
    });
    const wrongMethod = await fetch(`${base}/signed`);
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({
      error: 'method_not_allowed',
      message: 'GET is not allowed on /signed; use POST',
    });
    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route for GET /nowhere' });
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('secret internal detail');
    expect(text).toMatch(/internal error; see the server log for request [0-9a-f-]{36}/);
    const busy = await fetch(`${base}/busy`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('30');
  });

  it('drains in-flight requests on shutdown and refuses new connections', async () => {
    let release: () => void = () => {};
    const base = await start((s) =>
      s.router.get('/slow', async (ctx) => {
        await new Promise<void>((r) => {
          release = r;
        });
        ctx.body = { done: true };
      }),
    );
    const inFlight = fetch(`${base}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = server!.close(5000);
    await new Promise((r) => setTimeout(r, 20));
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    release();
    const res = await inFlight;
    expect(await res.json()).toEqual({ done: true });
    await closing;
    server = undefined;
  });
});
