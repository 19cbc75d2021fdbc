import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type Router from '@koa/router';
import { type WebSocket, WebSocketServer } from 'ws';
import type { PushKind, PushOutcome, Transport } from './delivery.js';
import type { FeishuEmulator } from './emulator.js';
import { bodyOf } from './middleware.js';
import { decodeFrame, encodeFrame, type Frame, header } from './pbbp2.js';

const CONNECT_PATH = '/callback/ws/conn';
const METHOD_CONTROL = 0;
const METHOD_DATA = 1;

/** Seconds, as Feishu sends them in `ClientConfig` and in pong payloads. */
export interface WsClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

const FEISHU_CLIENT_CONFIG: WsClientConfig = {
  PingInterval: 120,
  ReconnectCount: -1,
  ReconnectInterval: 120,
  ReconnectNonce: 30,
};

interface Connection {
  socket: WebSocket;
  serviceId: number;
  deviceId: string;
}

interface Pending {
  resolve: (out: PushOutcome) => void;
  started: number;
}

/**
 * Feishu's long connection: `POST /callback/ws/endpoint` hands out a WebSocket URL; over it the server pushes
 * events and `card.action.trigger` callbacks as pbbp2 data frames (header `type=event`) and reads the client's
 * `{code, data: base64(json)}` answer frames; pings are answered with pongs carrying the client config.
 * Each push goes to one connected client, chosen at random.
 */
export class LongConnection implements Transport {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly tickets = new Map<string, { serviceId: number; deviceId: string }>();
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  readonly clientConfig: WsClientConfig;
  /** Ping frames received, for liveness assertions. */
  pings = 0;

  constructor(
    private readonly emu: FeishuEmulator,
    clientConfig: Partial<WsClientConfig> = {},
  ) {
    this.clientConfig = { ...FEISHU_CLIENT_CONFIG, ...clientConfig };
  }

  get connected(): number {
    return this.connections.size;
  }

  routes(router: Router): void {
    router.post('/callback/ws/endpoint', (ctx) => {
      const body = bodyOf(ctx);
      if (body.AppID !== this.emu.app.appId || body.AppSecret !== this.emu.app.appSecret) {
        ctx.body = { code: 514, msg: 'auth failed', data: {} };
        return;
      }
      const ticket = randomBytes(16).toString('hex');
      const serviceId = 1000 + Math.floor(Math.random() * 9000);
      const deviceId = randomBytes(8).toString('hex');
      this.tickets.set(ticket, { serviceId, deviceId });
      const base = this.emu.url.replace(/^http/, 'ws');
      // device_id/service_id must not be the first query parameter: the SDK parses the whole URL as a query string.
      const url = `${base}${CONNECT_PATH}?fpid=1&aid=${this.emu.app.appId}&device_id=${deviceId}&access_key=${ticket}&service_id=${serviceId}&ticket=${ticket}`;
      ctx.body = { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.clientConfig } };
    });
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ticket = this.tickets.get(url.searchParams.get('ticket') ?? '');
      if (url.pathname !== CONNECT_PATH || !ticket) {
        socket.end('HTTP/1.1 403 Forbidden\r\nhandshake-status: 514\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ticket.serviceId, ticket.deviceId));
    });
  }

  private accept(socket: WebSocket, serviceId: number, deviceId: string): void {
    const conn: Connection = { socket, serviceId, deviceId };
    this.connections.add(conn);
    this.emu.world.record({
      at: this.emu.now(),
      direction: 'in',
      kind: 'ws',
      method: 'CONNECT',
      path: CONNECT_PATH,
      status: 101,
      ms: 0,
    });
    socket.on('message', (data: Buffer) => this.onFrame(conn, data));
    socket.on('close', () => this.connections.delete(conn));
    socket.on('error', () => this.connections.delete(conn));
  }

  private onFrame(conn: Connection, data: Buffer): void {
    let frame: Frame;
    try {
      frame = decodeFrame(new Uint8Array(data));
    } catch {
      return;
    }
    if (frame.method === METHOD_CONTROL && header(frame, 'type') === 'ping') {
      this.pings++;
      this.send(conn, {
        SeqID: 0,
        LogID: 0,
        service: conn.serviceId,
        method: METHOD_CONTROL,
        headers: [{ key: 'type', value: 'pong' }],
        payload: new TextEncoder().encode(JSON.stringify(this.clientConfig)),
      });
      return;
    }
    if (frame.method !== METHOD_DATA) return;
    const id = header(frame, 'message_id') ?? '';
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    const ms = performance.now() - waiting.started;
    try {
      const answer = JSON.parse(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as {
        code?: number;
        data?: string;
      };
      const body = answer.data ? Buffer.from(answer.data, 'base64').toString('utf8') : '';
      waiting.resolve({ status: Number(answer.code ?? 0), body, ms });
    } catch {
      waiting.resolve({ status: 0, body: '', ms, error: 'unreadable answer frame' });
    }
  }

  private send(conn: Connection, frame: Frame): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(encodeFrame(frame));
  }

  push(_kind: PushKind, payload: unknown, deadlineMs: number): Promise<PushOutcome> {
    const open = [...this.connections].filter((c) => c.socket.readyState === c.socket.OPEN);
    const conn = open[Math.floor(Math.random() * open.length)];
    if (!conn) return Promise.resolve({ status: 0, body: '', ms: 0, error: 'no long connection is open' });
    const messageId = randomBytes(12).toString('hex');
    const started = performance.now();
    return new Promise<PushOutcome>((resolve) => {
      const timer = this.emu.clock.setTimeout(() => {
        if (!this.pending.delete(messageId)) return;
        resolve({ status: 0, body: '', ms: performance.now() - started, error: `no answer within ${deadlineMs} ms` });
      }, deadlineMs);
      this.pending.set(messageId, {
        started,
        resolve: (out) => {
          this.emu.clock.clearTimeout(timer);
          resolve(out);
        },
      });
      this.send(conn, {
        SeqID: ++this.seq,
        LogID: Date.now(),
        service: conn.serviceId,
        method: METHOD_DATA,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: randomBytes(8).toString('hex') },
        ],
        payload: new TextEncoder().encode(JSON.stringify(payload)),
      });
    });
  }

  /** Drops every open connection, as a network blip or a server restart would (clients reconnect). */
  dropConnections(): void {
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
  }

  close(): void {
    for (const p of this.pending.values()) p.resolve({ status: 0, body: '', ms: 0, error: 'emulator closed' });
    this.pending.clear();
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    this.wss.close();
  }
}
