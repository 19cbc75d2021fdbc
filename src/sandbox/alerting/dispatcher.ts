/**
 * An Alertmanager-like dispatcher: alerts are grouped by the route's `group_by`; a new group waits `group_wait`
 * before its first notification, then is looked at every `group_interval`, and a notification goes out when its
 * firing or resolved set changed or `repeat_interval` passed. Silenced alerts are left out. Notifications are
 * v4 webhook bodies with fingerprints (../demo/alertmanager.ts), POSTed with the bearer token; a failed
 * delivery is retried at the next interval with the same content, as Alertmanager does.
 */
import { postAlert, type WebhookBody, webhookBody } from '../demo/alertmanager.js';
import type { EngineAlert } from './rule-engine.js';
import type { Silences } from './silences.js';
import type { AlertTiming } from './timing.js';

export interface Notification {
  body: WebhookBody;
  /** The bot's HTTP status (0: unreachable). */
  status: number;
  responseBody: string;
  at: number;
}

export interface DispatcherOptions {
  /** Where the bot listens (known once it has started). */
  botUrl: () => string;
  token: string;
  timing: AlertTiming;
  silences: Silences;
  groupBy?: string[];
  externalURL?: string;
  now?: () => number;
  /** Aborts in-flight deliveries when the sandbox stops. */
  signal?: AbortSignal;
}

interface Group {
  key: string;
  alerts: Map<string, EngineAlert>;
  /** Fingerprints notified as firing, with the startsAt sent. */
  notifiedFiring: Set<string>;
  lastSentAt: number;
  nextFlushAt: number;
  sending: boolean;
}

export class Dispatcher {
  private readonly groups = new Map<string, Group>();
  private readonly listeners = new Set<(n: Notification) => void>();
  private readonly groupBy: string[];
  private readonly now: () => number;
  /** Alertmanager's own URL, sent as `externalURL`. */
  externalURL: string | undefined;

  constructor(private readonly opts: DispatcherOptions) {
    this.groupBy = opts.groupBy ?? ['alertname', 'namespace'];
    this.now = opts.now ?? Date.now;
    this.externalURL = opts.externalURL;
  }

  /** Alerts from the rule engine (firing ones repeat every evaluation; resolved ones come once). */
  receive(alerts: EngineAlert[]): void {
    const now = this.now();
    for (const a of alerts) {
      const key = this.groupKey(a);
      let g = this.groups.get(key);
      if (!g) {
        if (a.status === 'resolved') continue;
        g = {
          key,
          alerts: new Map(),
          notifiedFiring: new Set(),
          lastSentAt: 0,
          nextFlushAt: now + this.opts.timing.groupWaitMs,
          sending: false,
        };
        this.groups.set(key, g);
      }
      g.alerts.set(a.fingerprint, a);
    }
  }

  /** Flushes every group that is due; call it often (the sandbox does every second). */
  async tick(): Promise<void> {
    const now = this.now();
    const due = [...this.groups.values()].filter((g) => !g.sending && g.nextFlushAt <= now);
    await Promise.all(due.map((g) => this.flush(g, now)));
  }

  onNotify(listener: (n: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Alerts as Alertmanager's `GET /api/v2/alerts` lists them. */
  alerts(): (EngineAlert & { silencedBy: string[] })[] {
    return [...this.groups.values()].flatMap((g) =>
      [...g.alerts.values()]
        .filter((a) => a.status === 'firing')
        .map((a) => ({ ...a, silencedBy: this.opts.silences.silencedBy(a.labels) })),
    );
  }

  private groupKey(a: EngineAlert): string {
    return JSON.stringify(this.groupBy.map((k) => a.labels[k] ?? ''));
  }

  private async flush(g: Group, now: number): Promise<void> {
    g.nextFlushAt = now + this.opts.timing.groupIntervalMs;
    const visible = [...g.alerts.values()].filter((a) => this.opts.silences.silencedBy(a.labels).length === 0);
    const firing = visible.filter((a) => a.status === 'firing');
    const resolved = visible.filter((a) => a.status === 'resolved' && g.notifiedFiring.has(a.fingerprint));
    const changed =
      firing.some((a) => !g.notifiedFiring.has(a.fingerprint)) ||
      resolved.length > 0 ||
      [...g.notifiedFiring].some((fp) => !g.alerts.has(fp));
    const repeat = firing.length > 0 && now - g.lastSentAt >= this.opts.timing.repeatIntervalMs;
    if (changed || repeat) {
      const list = [...firing, ...resolved].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      if (list.length > 0) {
        g.sending = true;
        try {
          const ok = await this.deliver(list, now);
          if (!ok) return; // kept as it is: the next interval sends it again
          g.lastSentAt = now;
          g.notifiedFiring = new Set(firing.map((a) => a.fingerprint));
        } finally {
          g.sending = false;
        }
      } else {
        g.notifiedFiring = new Set();
      }
    }
    for (const a of [...g.alerts.values()]) if (a.status === 'resolved') g.alerts.delete(a.fingerprint);
    if (g.alerts.size === 0) this.groups.delete(g.key);
  }

  private async deliver(alerts: EngineAlert[], now: number): Promise<boolean> {
    const body = webhookBody(
      alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        status: a.status,
        startsAt: a.startsAt,
        ...(a.endsAt ? { endsAt: a.endsAt } : {}),
        generatorURL: '',
      })),
      { groupBy: this.groupBy, ...(this.externalURL ? { externalURL: this.externalURL } : {}) },
    );
    const res = await postAlert(this.opts.botUrl(), this.opts.token, body, this.opts.signal);
    const n: Notification = { body, status: res.status, responseBody: res.body, at: now };
    for (const l of this.listeners) l(n);
    return res.status >= 200 && res.status < 300;
  }
}

function sortKey(a: EngineAlert): string {
  return Object.keys(a.labels)
    .sort()
    .map((k) => `${k}=${a.labels[k]}`)
    .join(',');
}
