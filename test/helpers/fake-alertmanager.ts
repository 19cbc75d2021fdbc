import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSilence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

/**
 * An Alertmanager API v2 subset on loopback: POST and GET /api/v2/silences, GET and DELETE /api/v2/silence/:id,
 * and GET /api/v2/alerts (no alerts fire here).
 */
export class FakeAlertmanager {
  readonly silences = new Map<string, FakeSilence>();
  private server: Server | undefined;
  private seq = 0;
  refuse: string | undefined;
  /** Answer this many more silence creations with 500, then accept again. */
  refuseNext = 0;
  /** Silence creations received, answered or still held. */
  createRequests = 0;
  private gate: Promise<void> | undefined;

  /** Holds every silence creation until the returned function is called: a slow Alertmanager. */
  holdCreates(): () => void {
    let release: () => void = () => {};
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST' && req.url === '/api/v2/silences') {
          this.createRequests++;
          await this.gate;
          if (this.refuse) return json(400, this.refuse);
          if (this.refuseNext > 0) {
            this.refuseNext--;
            return json(500, 'temporarily unavailable');
          }
          const s = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<FakeSilence, 'id' | 'status'>;
          const id = `sil-${++this.seq}`;
          this.silences.set(id, { ...s, id, status: { state: 'active' } });
          return json(200, { silenceID: id });
        }
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'GET' && path === '/api/v2/silences') return json(200, [...this.silences.values()]);
        if (req.method === 'GET' && path === '/api/v2/alerts') return json(200, []);
        const m = /^\/api\/v2\/silence\/([^/]+)$/.exec(req.url ?? '');
        const s = m ? this.silences.get(decodeURIComponent(m[1] as string)) : undefined;
        if (req.method === 'GET' && m) return s ? json(200, s) : json(404, 'silence not found');
        if (req.method === 'DELETE' && s) {
          s.status.state = 'expired';
          s.endsAt = new Date(Date.parse(s.startsAt) + 1000).toISOString();
          return json(200, {});
        }
        json(404, 'not found');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Alertmanager's own expiry at endsAt. */
  expireAll(): void {
    for (const s of this.silences.values()) s.status.state = 'expired';
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
