/**
 * A loopback HTTP proxy in front of an API server that records every request it forwards (method and path),
 * so a test can tell whether a call reached the cluster at all. `hang: true` answers nothing, ever, and
 * records when each request's connection was closed by the client (a cancelled request).
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  requests: { method: string; path: string }[];
  /** Requests whose client went away before an answer (hang mode). */
  aborted: { method: string; path: string; afterMs: number }[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string | undefined, opts: { hang?: boolean } = {}) {
  const requests: RecordingProxy['requests'] = [];
  const aborted: RecordingProxy['aborted'] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const entry = { method: req.method ?? 'GET', path: req.url ?? '/' };
    requests.push(entry);
    if (opts.hang || !target) {
      const started = Date.now();
      res.on('close', () => aborted.push({ ...entry, afterMs: Date.now() - started }));
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const up = httpRequest(url, { method: req.method, headers: req.headers }, (r) => {
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
    requests,
    aborted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } satisfies RecordingProxy;
}
