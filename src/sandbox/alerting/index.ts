/**
 * Live alerting for the sandbox: alerts come from the simulated cluster's state, continuously, as
 * kube-prometheus raises them, and reach the bot the way Alertmanager delivers them.
 *
 * - `builtin` (default): an in-process rule engine (./rule-engine.ts) over the same series a Prometheus would
 *   scrape, an Alertmanager-like dispatcher (./dispatcher.ts) and Alertmanager's silences API (./http.ts),
 *   so the card's Silence button works too.
 * - `real` (`sandbox --real-alerting`): Debian's Prometheus and Alertmanager (./real-stack.ts) with the
 *   kube-prometheus rules; Alertmanager's webhook passes through a relay so every notification is recorded.
 *
 * Two steps, because the bot is configured with the Alertmanager and Prometheus URLs before it listens and
 * the notifications need its URL: `prepareAlerting()` then `.start(botUrl)`.
 */
import type { Logger } from '../../shared/log.js';
import type { ClusterSimulator } from '../cluster/index.js';
import { renderMetrics } from '../cluster/metrics/index.js';
import type { WebhookBody } from '../demo/alertmanager.js';
import { Dispatcher, type Notification } from './dispatcher.js';
import { renderCadvisor, renderKubelet, renderStateExtras } from './extra-metrics.js';
import { type AlertingHttp, startAlertingHttp } from './http.js';
import { SANDBOX_CLUSTER } from './real-config.js';
import { findRealBinaries, freePort, type RealStack, startRealStack } from './real-stack.js';
import { RuleEngine } from './rule-engine.js';
import { parseExposition, type Sample } from './samples.js';
import { Silences } from './silences.js';
import { type AlertTiming, LIVE_TIMING } from './timing.js';

export type AlertingMode = 'builtin' | 'real';

export interface AlertingOptions {
  mode: AlertingMode;
  cluster: Pick<ClusterSimulator, 'store' | 'world' | 'url'>;
  token: string;
  host: string;
  log: Logger;
  timing?: AlertTiming;
  /** The caller's environment: PATH (and PROMETHEUS_BIN / ALERTMANAGER_BIN) locate the real binaries. */
  env: Record<string, string | undefined>;
}

export interface PreparedAlerting {
  mode: AlertingMode;
  /** For the bot's ALERTMANAGER_URL: silences from the card go here. */
  alertmanagerUrl: string;
  /** For the bot's PROMETHEUS_URL (real mode only: the built-in engine has no query API). */
  prometheusUrl: string | undefined;
  start(botUrl: string): Promise<LiveAlerting>;
  /** Frees what prepare took, when the bot never started. */
  abandon(): Promise<void>;
}

export interface LiveAlerting {
  mode: AlertingMode;
  alertmanagerUrl: string;
  prometheusUrl: string | undefined;
  timing: AlertTiming;
  /** Every notification the bot received (its body and the bot's answer), in order; the last 200. */
  notifications(): Notification[];
  onNotify(listener: (n: Notification) => void): () => void;
  /** Resolves with the first notification (from now on) matching `test`, or undefined when `signal` aborts. */
  next(test: (n: Notification) => boolean, signal?: AbortSignal): Promise<Notification | undefined>;
  /** Built-in mode: alerts pending and firing in the rule engine. */
  states(): ReturnType<RuleEngine['states']>;
  /** Stops notifying (the alerting pipeline goes quiet, as when Alertmanager dies); `resume()` undoes it. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** Everything a Prometheus would scrape from the sandbox, with the labels its scrape config adds. */
export function scrapeAll(
  cluster: Pick<ClusterSimulator, 'store' | 'world'>,
  now = cluster.store.clock.now(),
): Sample[] {
  const world = cluster.world;
  const cpuOf = (image: string) => world?.images.profile(image).cpuCores ?? 0;
  const base = { cluster: SANDBOX_CLUSTER };
  const ksm = renderMetrics(cluster.store, world ? { usage: (image) => world.images.profile(image), now } : { now });
  return [
    ...parseExposition(ksm, { ...base, job: 'kube-state-metrics', instance: 'simulator' }),
    ...parseExposition(renderStateExtras(cluster.store), { ...base, job: 'kube-state-metrics', instance: 'extras' }),
    ...parseExposition(renderKubelet(cluster.store), {
      ...base,
      job: 'kubelet',
      instance: 'extras',
      metrics_path: '/metrics',
    }),
    ...parseExposition(renderCadvisor({ store: cluster.store, cpuOf, now }), {
      ...base,
      job: 'kubelet',
      instance: 'extras',
      metrics_path: '/metrics/cadvisor',
    }),
  ];
}

export async function prepareAlerting(opts: AlertingOptions): Promise<PreparedAlerting> {
  const timing = opts.timing ?? LIVE_TIMING;
  const { cluster, host, log } = opts;
  const world = cluster.world;
  const cpuOf = (image: string) => world?.images.profile(image).cpuCores ?? 0;
  const metrics = {
    ksm: () => renderStateExtras(cluster.store),
    kubelet: () => renderKubelet(cluster.store),
    cadvisor: () => renderCadvisor({ store: cluster.store, cpuOf, now: cluster.store.clock.now() }),
  };
  const record = new Recorder();
  let paused = false;

  if (opts.mode === 'real') {
    const found = findRealBinaries(opts.env);
    if (!found.ok) throw new Error(found.message);
    const ports = { prometheus: await freePort(host), alertmanager: await freePort(host) };
    let botUrl = '';
    const http = await startAlertingHttp({
      host,
      metrics,
      relay: async (body, headers) => {
        if (paused) return { status: 503, body: 'the sandbox paused the alerting pipeline' };
        const res = await forward(`${botUrl}/webhooks/alertmanager`, body, headers);
        try {
          record.add({
            body: JSON.parse(body) as WebhookBody,
            status: res.status,
            responseBody: res.body,
            at: Date.now(),
          });
        } catch {}
        return res;
      },
    });
    return {
      mode: 'real',
      alertmanagerUrl: `http://${host}:${ports.alertmanager}`,
      prometheusUrl: `http://${host}:${ports.prometheus}`,
      abandon: () => http.close(),
      async start(url) {
        botUrl = url;
        let stack: RealStack;
        try {
          stack = await startRealStack({
            bins: found.bins,
            host,
            timing,
            ports,
            simulatorUrl: cluster.url,
            extrasUrl: http.url,
            botUrl: `${http.url}/relay`,
            token: opts.token,
          });
        } catch (err) {
          await http.close();
          throw err;
        }
        log.info({ prometheus: stack.prometheusUrl, alertmanager: stack.alertmanagerUrl }, 'real alerting started');
        return live('real', stack.alertmanagerUrl, stack.prometheusUrl, timing, record, {
          states: () => [],
          pause: (p) => {
            paused = p;
          },
          stop: async () => {
            await stack.stop();
            await http.close();
          },
        });
      },
    };
  }

  const silences = new Silences(() => cluster.store.clock.now());
  const abort = new AbortController();
  const now = () => cluster.store.clock.now();
  const engine = new RuleEngine({ scrape: () => scrapeAll(cluster), timing, now });
  let botUrl = '';
  const dispatcher = new Dispatcher({
    botUrl: () => botUrl,
    token: opts.token,
    timing,
    silences,
    signal: abort.signal,
  });
  dispatcher.onNotify((n) => record.add(n));
  let http: AlertingHttp | undefined = await startAlertingHttp({
    host,
    metrics,
    alertmanager: { silences, dispatcher },
  });
  const amUrl = http.url;
  dispatcher.externalURL = amUrl;
  return {
    mode: 'builtin',
    alertmanagerUrl: amUrl,
    prometheusUrl: undefined,
    abandon: async () => {
      await http?.close();
      http = undefined;
    },
    async start(url) {
      botUrl = url;
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const loop = async () => {
        if (stopped) return;
        try {
          const alerts = engine.evaluate();
          if (!paused) {
            dispatcher.receive(alerts);
            await dispatcher.tick();
          }
        } catch (err) {
          log.warn({ err }, 'sandbox alerting: evaluation failed');
        }
        if (!stopped) timer = setTimeout(loop, Math.min(1_000, timing.evalMs));
      };
      timer = setTimeout(loop, 0);
      return live('builtin', amUrl, undefined, timing, record, {
        states: () => engine.states(),
        pause: (p) => {
          paused = p;
        },
        stop: async () => {
          stopped = true;
          if (timer) clearTimeout(timer);
          abort.abort();
          await http?.close();
        },
      });
    },
  };
}

async function forward(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}

class Recorder {
  readonly list: Notification[] = [];
  private readonly listeners = new Set<(n: Notification) => void>();

  add(n: Notification): void {
    this.list.push(n);
    if (this.list.length > 200) this.list.shift();
    for (const l of this.listeners) l(n);
  }

  on(l: (n: Notification) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

function live(
  mode: AlertingMode,
  alertmanagerUrl: string,
  prometheusUrl: string | undefined,
  timing: AlertTiming,
  record: Recorder,
  parts: { states: LiveAlerting['states']; pause: (p: boolean) => void; stop: () => Promise<void> },
): LiveAlerting {
  let stopping: Promise<void> | undefined;
  return {
    mode,
    alertmanagerUrl,
    prometheusUrl,
    timing,
    notifications: () => [...record.list],
    onNotify: (l) => record.on(l),
    next: (test, signal) =>
      new Promise((resolve) => {
        if (signal?.aborted) return resolve(undefined);
        const off = record.on((n) => {
          if (!test(n)) return;
          off();
          signal?.removeEventListener('abort', onAbort);
          resolve(n);
        });
        const onAbort = () => {
          off();
          resolve(undefined);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    states: parts.states,
    pause: () => parts.pause(true),
    resume: () => parts.pause(false),
    stop: () => {
      stopping ??= parts.stop();
      return stopping;
    },
  };
}

export type { Notification } from './dispatcher.js';
export { type AlertTiming, FAST_TIMING, LIVE_TIMING } from './timing.js';
