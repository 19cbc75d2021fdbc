/**
 * The sandbox alerting's HTTP side, on loopback:
 * - `GET /metrics/kube-state-metrics`, `/metrics/kubelet`, `/metrics/cadvisor`: the series of ./extra-metrics.ts,
 *   for a real Prometheus to scrape beside the simulator's own `/metrics`;
 * - with the in-process dispatcher, Alertmanager's API v2 subset the bot and a person use: silences
 *   (create, get, list, expire), `GET /api/v2/alerts`, `GET /api/v2/status`, `GET /-/healthy`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from './dispatcher.js';
import { SilenceInputSchema, type Silences } from './silences.js';

const MAX_BODY = 2 * 1024 * 1024;
const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export interface AlertingHttpOptions {
  host: string;
  port?: number;
  metrics: { ksm: () => string; kubelet: () => string; cadvisor: () => string };
  alertmanager?: { silences: Silences; dispatcher: Dispatcher };
  /**
   * `POST /relay/webhooks/alertmanager`: a real Alertmanager's webhook, passed on to the bot unchanged (headers and body)
   * and its answer returned, so the sandbox sees every notification as the bot did.
   */
  relay?: (body: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>;
}

export interface AlertingHttp {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error(`body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startAlertingHttp(opts: AlertingHttpOptions): Promise<AlertingHttp> {
  const server = createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => send(res, 500, { error: (err as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: AlertingHttpOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://alerting.local');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  if (method === 'GET' && path === '/metrics/kube-state-metrics') return send(res, 200, opts.metrics.ksm(), TEXT);
  if (method === 'GET' && path === '/metrics/kubelet') return send(res, 200, opts.metrics.kubelet(), TEXT);
  if (method === 'GET' && path === '/metrics/cadvisor') return send(res, 200, opts.metrics.cadvisor(), TEXT);
  if (method === 'POST' && path === '/relay/webhooks/alertmanager' && opts.relay) {
    const headers: Record<string, string> = {};
    for (const k of ['authorization', 'content-type', 'user-agent'])
      if (typeof req.headers[k] === 'string') headers[k] = req.headers[k] as string;
    const answer = await opts.relay(await readBody(req), headers);
    return send(res, answer.status || 502, answer.body, 'text/plain');
  }
  const am = opts.alertmanager;
  if (!am) return send(res, 404, { error: `no route ${method} ${path}` });
  if (method === 'GET' && (path === '/-/healthy' || path === '/-/ready')) return send(res, 200, 'OK', 'text/plain');
  if (method === 'GET' && path === '/api/v2/status')
    return send(res, 200, { cluster: { status: 'disabled' }, versionInfo: { version: 'sandbox' } });
  if (method === 'GET' && path === '/api/v2/alerts')
    return send(
      res,
      200,
      am.dispatcher.alerts().map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt.toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: a.fingerprint,
        status: { state: a.silencedBy.length ? 'suppressed' : 'active', silencedBy: a.silencedBy, inhibitedBy: [] },
      })),
    );
  if (method === 'GET' && path === '/api/v2/silences')
    return send(
      res,
      200,
      am.silences.list().map((s) => am.silences.view(s)),
    );
  if (method === 'POST' && path === '/api/v2/silences') {
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch (err) {
      return send(res, 400, `invalid JSON: ${(err as Error).message}`, 'text/plain');
    }
    const parsed = SilenceInputSchema.safeParse(raw);
    if (!parsed.success)
      return send(
        res,
        400,
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        'text/plain',
      );
    try {
      return send(res, 200, { silenceID: am.silences.upsert(parsed.data) });
    } catch (err) {
      return send(res, 400, (err as Error).message, 'text/plain');
    }
  }
  const one = /^\/api\/v2\/silence\/([^/]+)$/.exec(path);
  if (one) {
    const id = decodeURIComponent(one[1] ?? '');
    const s = am.silences.get(id);
    if (method === 'GET')
      return s ? send(res, 200, am.silences.view(s)) : send(res, 404, 'silence not found', 'text/plain');
    if (method === 'DELETE')
      return am.silences.expire(id) ? send(res, 200, '') : send(res, 404, 'silence not found', 'text/plain');
  }
  return send(res, 404, { error: `no route ${method} ${path}` });
}
