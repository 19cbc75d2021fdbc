import type { Clock, TimerHandle } from '../../ports/clock.js';
import { wireBody } from './crypto.js';
import type { DeliveryConfig, DeliveryResult, TranscriptEntry } from './types.js';

/** One push to the bot and how it was answered. */
export interface PushOutcome {
  /** HTTP status (or the WS frame's `code`); 0 when nothing came back in time. */
  status: number;
  body: string;
  ms: number;
  error?: string;
}

export type PushKind = 'event' | 'callback';

/** How a payload reaches the bot: an HTTP POST (webhook) or a data frame on the long connection. */
export interface Transport {
  push(kind: PushKind, payload: unknown, deadlineMs: number): Promise<PushOutcome>;
}

export interface Recorder {
  record(entry: Omit<TranscriptEntry, 'seq'>): TranscriptEntry;
}

/** Webhook transport: Feishu's POST, encrypted and signed when an encrypt key is set. */
export class WebhookTransport implements Transport {
  constructor(
    private readonly config: () => DeliveryConfig | undefined,
    private readonly encryptKey: string | undefined,
    private readonly clock: Clock,
  ) {}

  async push(kind: PushKind, payload: unknown, deadlineMs: number): Promise<PushOutcome> {
    const config = this.config();
    if (config?.mode !== 'webhook') {
      return { status: 0, body: '', ms: 0, error: 'no webhook delivery configured' };
    }
    const url = kind === 'callback' ? (config.cardUrl ?? config.eventsUrl) : config.eventsUrl;
    const { body, headers } = wireBody(payload, this.encryptKey, this.clock.now());
    const started = performance.now();
    const abort = new AbortController();
    const timer = this.clock.setTimeout(() => abort.abort(), deadlineMs);
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: abort.signal });
      const text = await res.text();
      return { status: res.status, body: text, ms: performance.now() - started };
    } catch (err) {
      const ms = performance.now() - started;
      const error = abort.signal.aborted ? `no answer within ${deadlineMs} ms` : (err as Error).message;
      return { status: 0, body: '', ms, error };
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}

interface EventMeta {
  eventId: string;
  eventType: string;
  payload: unknown;
}

/**
 * At-least-once event delivery: an event not answered HTTP 200 within the deadline is pushed again after each
 * delay of the retry schedule (same event, same ids), until answered or the schedule is used up.
 */
export class EventDelivery {
  private readonly sent = new Map<string, EventMeta>();
  private readonly timers = new Set<TimerHandle>();
  private readonly waiting = new Set<(r: DeliveryResult) => void>();
  private closed = false;

  constructor(
    private readonly transport: () => Transport,
    private readonly recorder: Recorder,
    private readonly clock: Clock,
    private readonly retryDelaysMs: number[],
    private readonly ackDeadlineMs: number,
    private readonly path: () => string,
  ) {}

  deliver(eventId: string, eventType: string, payload: unknown): Promise<DeliveryResult> {
    this.sent.set(eventId, { eventId, eventType, payload });
    return this.run({ eventId, eventType, payload });
  }

  /** Pushes an event already delivered once again, exactly as it was. */
  redeliver(eventId: string): Promise<DeliveryResult> {
    const meta = this.sent.get(eventId);
    if (!meta) return Promise.reject(new Error(`unknown event ${eventId}`));
    return this.run(meta);
  }

  payloadOf(eventId: string): unknown {
    return this.sent.get(eventId)?.payload;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    for (const resolve of this.waiting) resolve({ ok: false, attempts: 0, status: 0, error: 'emulator closed' });
    this.waiting.clear();
  }

  private run(meta: EventMeta): Promise<DeliveryResult> {
    return new Promise<DeliveryResult>((resolve) => {
      this.waiting.add(resolve);
      const finish = (r: DeliveryResult) => {
        this.waiting.delete(resolve);
        resolve(r);
      };
      const attempt = async (n: number): Promise<void> => {
        if (this.closed) return;
        const at = this.clock.now();
        const out = await this.transport().push('event', meta.payload, this.ackDeadlineMs);
        if (this.closed) return;
        const ok = out.status === 200 && out.error === undefined;
        this.recorder.record({
          at,
          direction: 'out',
          kind: 'event',
          method: 'POST',
          path: this.path(),
          status: out.status,
          ms: Math.round(out.ms),
          eventId: meta.eventId,
          eventType: meta.eventType,
          attempt: n,
          ...(out.error !== undefined ? { error: out.error } : ok ? {} : { error: `answered HTTP ${out.status}` }),
          request: meta.payload,
          response: out.body,
        });
        if (ok) return finish({ ok: true, attempts: n, status: out.status });
        const delay = this.retryDelaysMs[n - 1];
        if (delay === undefined) {
          return finish({ ok: false, attempts: n, status: out.status, error: out.error ?? `HTTP ${out.status}` });
        }
        const timer = this.clock.setTimeout(() => {
          this.timers.delete(timer);
          safe(n + 1);
        }, delay);
        this.timers.add(timer);
      };
      const safe = (n: number) => {
        attempt(n).catch((err: unknown) =>
          finish({ ok: false, attempts: n, status: 0, error: `delivery failed: ${(err as Error).message}` }),
        );
      };
      safe(1);
    });
  }
}
