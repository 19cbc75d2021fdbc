/**
 * The demo scenario: the `checkout` deployment in namespace `shop` starts crash-looping. Nothing is sent by
 * hand: the sandbox's live alerting raises kube-prometheus's KubePodCrashLooping from the cluster's state and
 * delivers it as Alertmanager does. Once someone heals the deployment (a rollback from the card, a command or
 * kubectl), the rule stops matching and the resolved notification for the same alert follows.
 */
import type { Logger } from '../../shared/log.js';
import type { LiveAlerting, Notification } from '../alerting/index.js';
import type { WebhookBody } from './alertmanager.js';

export const DEMO_WORKLOAD = { namespace: 'shop', deployment: 'checkout', container: 'checkout' } as const;
export const DEMO_ALERT = 'KubePodCrashLooping';

export interface DemoInput {
  log: Logger;
  /** Breaks the cluster the named way (the page's break menu, so its Heal undoes the demo too). */
  breakIt: (name: string, target: unknown) => { done: string };
  alerting: Pick<LiveAlerting, 'next'>;
  /** Stops the demo (the sandbox is shutting down). */
  signal?: AbortSignal;
}

export interface AlertDelivery {
  /** The webhook body as Alertmanager sent it. */
  alert: WebhookBody;
  /** The bot's HTTP answer to the webhook (0 when it could not be reached). */
  status: number;
  body: string;
}

export interface DemoResult extends AlertDelivery {
  /** What the cluster simulator did. */
  injected: string;
  /** Settles with the resolved notification once the deployment is healthy again; undefined when the sandbox stops first. */
  resolution: Promise<AlertDelivery | undefined>;
}

const isDemoPod = (labels: Record<string, string>) =>
  labels.alertname === DEMO_ALERT &&
  labels.namespace === DEMO_WORKLOAD.namespace &&
  (labels.pod ?? '').startsWith(`${DEMO_WORKLOAD.deployment}-`);

const delivery = (n: Notification): AlertDelivery => ({ alert: n.body, status: n.status, body: n.responseBody });

export async function runDemo(input: DemoInput): Promise<DemoResult> {
  const { namespace, deployment } = DEMO_WORKLOAD;
  const firing = input.alerting.next(
    (n) => n.body.alerts.some((a) => a.status === 'firing' && isDemoPod(a.labels)),
    input.signal,
  );
  const injected = input.breakIt('crashloop', { namespace, deployment }).done;
  input.log.info({ scenario: 'crashloop' }, `demo: ${injected}`);
  const first = await firing;
  if (!first) throw new Error('the sandbox stopped before the demo alert fired');
  input.log.info({ http: first.status }, 'demo: KubePodCrashLooping delivered to the bot');
  const fingerprints = new Set(first.body.alerts.filter((a) => isDemoPod(a.labels)).map((a) => a.fingerprint));
  const resolution = input.alerting
    .next((n) => n.body.alerts.some((a) => a.status === 'resolved' && fingerprints.has(a.fingerprint)), input.signal)
    .then((n) => (n ? delivery(n) : undefined));
  resolution.catch(() => {});
  return { injected, ...delivery(first), resolution };
}
