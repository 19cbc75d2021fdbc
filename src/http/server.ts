/**
 * The Koa server: transport only. It logs requests, reads bodies, maps errors and serves the operational
 * endpoints; features mount their routes on `router`. Slow clients cannot hold it: headers must arrive within
 * `requestTimeoutMs` and the body within `requestTimeoutMs` after them (408, connection closed). A client's
 * `x-request-id` is echoed and logged only when it is a short token; anything else gets a fresh id.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import { BODY_TIMEOUT_MS, bodyReader, MAX_BODY_BYTES } from './body.js';
import { errorMapper } from './errors.js';

/** A readiness probe: resolves `ok` or a reason an operator can act on. */
export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

export interface HttpServerOptions {
  log: Logger;
  metrics: Metrics;
  bodyLimit?: number;
  /** How long headers, and then the body, may take to arrive (10 s). */
  requestTimeoutMs?: number;
}

/** A client-supplied request id we are willing to echo and log: up to 128 token characters. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdOf(given: string): string {
  return REQUEST_ID.test(given) ? given : randomUUID();
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export class HttpServer {
  readonly app = new Koa();
  readonly router = new Router();
  private readonly checks = new Map<string, ReadinessCheck>();
  private server: Server | undefined;
  private inFlight = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private readonly timeoutMs: number;

  constructor(options: HttpServerOptions) {
    const { log, metrics } = options;
    this.timeoutMs = options.requestTimeoutMs ?? BODY_TIMEOUT_MS;
    this.app.proxy = true;
    this.app.silent = true;
    this.app.use(async (ctx, next) => {
      const started = performance.now();
      const reqId = requestIdOf(ctx.get('x-request-id'));
      ctx.state.reqId = reqId;
      ctx.state.log = log.child({ reqId });
      ctx.set('x-request-id', reqId);
      this.inFlight++;
      try {
        await next();
      } finally {
        this.inFlight--;
        const ms = performance.now() - started;
        const route = this.routeOf(ctx);
        metrics.httpRequests.inc({ method: ctx.method, route: String(route), status: String(ctx.status) });
        metrics.httpDuration.observe({ method: ctx.method, route: String(route) }, ms / 1000);
        const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
        if (QUIET_PATHS.has(ctx.path)) ctx.state.log.debug(line, 'request');
        else ctx.state.log.info(line, 'request');
        if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
      }
    });
    this.app.use(errorMapper(log));
    this.app.use(async (ctx, next) => {
      if (this.draining) ctx.set('connection', 'close');
      await next();
    });
    this.app.use(bodyReader({ limit: options.bodyLimit ?? MAX_BODY_BYTES, timeoutMs: this.timeoutMs }));

    this.router.get('/healthz', (ctx) => {
      ctx.body = { status: 'ok' };
    });
    this.router.get('/readyz', async (ctx) => {
      const results: Record<string, { ok: boolean; detail?: string }> = {};
      await Promise.all(
        [...this.checks].map(async ([name, check]) => {
          try {
            results[name] = await check();
          } catch (err) {
            results[name] = { ok: false, detail: (err as Error).message };
          }
        }),
      );
      const ready = !this.draining && Object.values(results).every((r) => r.ok);
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : this.draining ? 'shutting_down' : 'not_ready', checks: results };
    });
    this.router.get('/metrics', async (ctx) => {
      ctx.set('content-type', metrics.registry.contentType);
      ctx.body = await metrics.registry.metrics();
    });
  }

  /**
   * The route a request belongs to, for metrics: the one that ran, or for a request refused before routing
   * (a malformed body, a timeout) the one that would have run; `unmatched` only when none matches.
   */
  private routeOf(ctx: Koa.Context): string {
    const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
    if (matched !== undefined) return String(matched);
    const layer = this.router.match(ctx.path, ctx.method).pathAndMethod.findLast((l) => l.methods.length > 0);
    return layer ? String(layer.path) : 'unmatched';
  }

  addReadinessCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    this.app.use(this.router.routes());
    this.app.use(this.router.allowedMethods());
    // Node answers 408 itself for headers slower than headersTimeout; the body reader answers a slow body (with
    // a JSON reason) before the requestTimeout backstop closes the connection.
    const server = createServer(
      {
        headersTimeout: this.timeoutMs,
        requestTimeout: this.timeoutMs * 2,
        connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(this.timeoutMs / 4))),
      },
      this.app.callback(),
    );
    this.server = server;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
      server.listen(port, host);
    });
    return server.address() as AddressInfo;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /**
   * Stops accepting connections and waits for requests in flight to finish (up to `timeoutMs`), then closes
   * the remaining connections.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
    server.closeAllConnections();
    await closed;
    this.server = undefined;
  }
}
