/**
 * `GET /console/events`: the domain events of committed transactions as server-sent events, so open pages
 * update without a reload. Each event has an id `<boot>-<seq>`; the last 2,000 are kept, and a client that
 * reconnects with `Last-Event-ID` gets what it missed. A client whose id is from before a restart (another boot)
 * or older than the buffer gets one `resync` event: it re-reads what it shows from the server (SQLite has it
 * all). A comment line every 15 s keeps proxies from closing an idle stream.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { DomainEvent, EventBus } from '../shared/domain-events.js';

const BUFFER = 2_000;
const HEARTBEAT_MS = 15_000;

/** The events a page can act on; outbox and escalation bookkeeping stay server-side. */
const SHOWN: ReadonlySet<DomainEvent['type']> = new Set([
  'incident.opened',
  'incident.changed',
  'timeline.added',
  'approval.requested',
  'approval.decided',
  'run.advanced',
]);

interface Buffered {
  seq: number;
  text: string;
}

export class ConsoleEvents {
  readonly boot = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly buffer: Buffered[] = [];
  private readonly clients = new Set<PassThrough>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(bus: EventBus) {
    this.unsubscribe = bus.subscribe((events) => this.publish(events));
    this.heartbeat = setInterval(() => this.broadcast(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private publish(events: readonly DomainEvent[]): void {
    for (const e of events) {
      if (!SHOWN.has(e.type)) continue;
      const seq = ++this.seq;
      const text = `id: ${this.boot}-${seq}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e, at: Date.now() })}\n\n`;
      this.buffer.push({ seq, text });
      if (this.buffer.length > BUFFER) this.buffer.shift();
      this.broadcast(text);
    }
  }

  private broadcast(text: string): void {
    for (const c of this.clients) c.write(text);
  }

  /** Serves one stream; `lastEventId` from the header (EventSource sends it on reconnect) or `?lastEventId=`. */
  serve(ctx: Context): void {
    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.set('content-type', 'text/event-stream; charset=utf-8');
    ctx.set('cache-control', 'no-store');
    ctx.set('x-accel-buffering', 'no');
    ctx.body = stream;
    stream.write(`retry: 2000\n: ${this.boot}\n\n`);
    const last = ctx.get('last-event-id') || (typeof ctx.query.lastEventId === 'string' ? ctx.query.lastEventId : '');
    if (last) {
      const m = /^([0-9a-f]+)-(\d+)$/.exec(last);
      const seq = m && m[1] === this.boot ? Number(m[2]) : undefined;
      const oldest = this.buffer[0]?.seq ?? this.seq + 1;
      if (seq === undefined || (seq < oldest - 1 && seq < this.seq)) {
        stream.write(`id: ${this.boot}-${this.seq}\nevent: resync\ndata: {"reason":"missed events"}\n\n`);
      } else {
        for (const b of this.buffer) if (b.seq > seq) stream.write(b.text);
      }
    }
    // Every client holds an id of this boot from the start, so one that reconnects after a restart is resynced.
    stream.write(`id: ${this.boot}-${this.seq}\nevent: hello\ndata: {}\n\n`);
    this.clients.add(stream);
    const drop = () => {
      this.clients.delete(stream);
      stream.end();
    };
    ctx.req.on('close', drop);
    stream.on('error', drop);
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
