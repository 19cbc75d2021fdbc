/**
 * A loopback proxy in front of the cluster simulator that answers the requests `when` picks with a fault — a
 * Kubernetes `Status` of the given code, or no answer at all (`hang`)
 * (the first `times` of them; every one by default) — and forwards every other request.
 * `forwarded` and `faulted` record what reached the simulator and what was refused.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = { status: number; reason: string; message: string } | 'hang';

export interface FaultyProxy {
  url: string;
  forwarded: { method: string; path: string }[];
  faulted: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startFaultyProxy(
  target: string,
  opts: { when: (method: string, path: string) => boolean; fault: Fault; times?: number },
): Promise<FaultyProxy> {
  const forwarded: FaultyProxy['forwarded'] = [];
  const faulted: FaultyProxy['faulted'] = [];
  const server = createServer((req, res) => {
    const entry = { method: req.method ?? 'GET', path: req.url ?? '/' };
    if (opts.when(entry.method, entry.path) && faulted.length < (opts.times ?? Number.POSITIVE_INFINITY)) {
      faulted.push(entry);
      req.resume();
      if (opts.fault === 'hang') return;
      const { status, reason, message } = opts.fault;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code: status }));
      return;
    }
    forwarded.push(entry);
    const up = httpRequest(new URL(entry.path, target), { method: entry.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    faulted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
