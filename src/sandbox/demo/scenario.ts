/**
 * The demo scenario: the `checkout` deployment in namespace `shop` starts crash-looping, and Alertmanager tells
 * the bot, as kube-prometheus's KubePodCrashLooping rule would. Once someone heals the deployment (a rollback
 * from the card, a command or kubectl), Alertmanager's resolved notification for the same alert follows.
 */
import type { Logger } from '../../shared/log.js';
import type { ClusterSimulator, K8sObject } from '../cluster/index.js';
import type { SandboxIdentity } from '../identity.js';
import { crashLoopingAlert, type WebhookBody, webhookBody } from './alertmanager.js';

export const DEMO_WORKLOAD = { namespace: 'shop', deployment: 'checkout', container: 'checkout' } as const;

export interface DemoInput {
  botUrl: string;
  identity: SandboxIdentity;
  log: Logger;
  /** The simulated cluster: the scenario is injected there and the alert names the pod that really crashes. */
  cluster?: Pick<ClusterSimulator, 'inject' | 'store'>;
  /** How long to wait for a pod to reach CrashLoopBackOff before alerting anyway. */
  waitMs?: number;
  /** Stops the demo (the sandbox is shutting down). */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface AlertDelivery {
  /** The webhook body as sent. */
  alert: WebhookBody;
  /** The bot's HTTP answer to the webhook (0 when it could not be reached). */
  status: number;
  body: string;
}

export interface DemoResult extends AlertDelivery {
  /** What the cluster simulator did, when there is one. */
  injected?: string;
  /**
   * Settles with the resolved notification once the deployment is healthy again; undefined when the sandbox
   * stops first (or runs without a cluster).
   */
  resolution: Promise<AlertDelivery | undefined>;
}

export async function runDemo(input: DemoInput): Promise<DemoResult> {
  const { namespace, deployment, container } = DEMO_WORKLOAD;
  let injected: string | undefined;
  let pod: K8sObject | undefined;
  if (input.cluster) {
    injected = input.cluster.inject('crashloop', { namespace, deployment }).done;
    input.log.info({ scenario: 'crashloop' }, `demo: ${injected}`);
    pod = await crashingPod(input.cluster, input.waitMs ?? 60_000, input.signal);
    input.signal?.throwIfAborted();
    if (!pod) input.log.warn('demo: no pod reached CrashLoopBackOff in time; alerting anyway');
  }
  const startsAt = input.now?.() ?? new Date();
  const podName = pod?.metadata.name ?? 'checkout-7d9f8b6c5-x2x9q';
  const alertFor = (status: 'firing' | 'resolved') =>
    webhookBody(
      [
        crashLoopingAlert({
          namespace,
          pod: podName,
          container,
          startsAt,
          ...(pod?.metadata.uid ? { uid: pod.metadata.uid } : {}),
          ...(status === 'resolved' ? { status, endsAt: input.now?.() ?? new Date() } : {}),
        }),
      ],
      { groupBy: ['alertname', 'namespace'] },
    );
  const firing = await send(input, alertFor('firing'));
  const cluster = input.cluster;
  const resolution = cluster
    ? untilHealthy(cluster, input.signal).then((healthy) => (healthy ? send(input, alertFor('resolved')) : undefined))
    : Promise.resolve(undefined);
  // A sandbox that stops first simply ends the watch.
  resolution.catch(() => {});
  return { ...(injected ? { injected } : {}), ...firing, resolution };
}

async function send(input: DemoInput, alert: WebhookBody): Promise<AlertDelivery> {
  const result = await postAlert(input.botUrl, input.identity.alertmanagerToken, alert, input.signal);
  const what = { status: alert.status, pod: alert.commonLabels.pod, http: result.status };
  if (result.status >= 200 && result.status < 300) input.log.info(what, 'demo: KubePodCrashLooping sent to the bot');
  else input.log.warn({ ...what, body: result.body.slice(0, 300) }, 'demo: the bot did not accept the alert');
  return { alert, ...result };
}

/** Healthy: every wanted replica is updated and ready, and no demo pod is crash-looping, twice in a row. */
function healthy(cluster: Pick<ClusterSimulator, 'store'>): boolean {
  const d = cluster.store.get('Deployment', DEMO_WORKLOAD.namespace, DEMO_WORKLOAD.deployment);
  const spec = d?.spec as { replicas?: number } | undefined;
  const status = d?.status as { readyReplicas?: number; updatedReplicas?: number; replicas?: number } | undefined;
  const wanted = spec?.replicas ?? 1;
  if (!status || status.readyReplicas !== wanted || status.updatedReplicas !== wanted || status.replicas !== wanted) {
    return false;
  }
  return demoPods(cluster).every((p) => waitingReason(p) === undefined);
}

async function untilHealthy(
  cluster: Pick<ClusterSimulator, 'store'>,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let streak = 0;
  while (!signal?.aborted) {
    streak = healthy(cluster) ? streak + 1 : 0;
    if (streak >= 2) return true;
    await pause(1000, signal);
  }
  return false;
}

function demoPods(cluster: Pick<ClusterSimulator, 'store'>): K8sObject[] {
  return cluster.store
    .list('Pod', DEMO_WORKLOAD.namespace)
    .filter((p) => p.metadata.labels?.app === DEMO_WORKLOAD.deployment);
}

function waitingReason(pod: K8sObject): string | undefined {
  const status = pod.status as { containerStatuses?: { name: string; state?: { waiting?: { reason?: string } } }[] };
  return status?.containerStatuses?.find((c) => c.name === DEMO_WORKLOAD.container)?.state?.waiting?.reason;
}

/** Polls the simulated cluster for a demo pod in CrashLoopBackOff (the state the alert rule fires on). */
async function crashingPod(
  cluster: Pick<ClusterSimulator, 'store'>,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<K8sObject | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const crashing = demoPods(cluster).find((p) => waitingReason(p) === 'CrashLoopBackOff');
    if (crashing) return crashing;
    if (Date.now() >= deadline || signal?.aborted) return undefined;
    await pause(250, signal);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function postAlert(
  botUrl: string,
  token: string,
  body: WebhookBody,
  signal?: AbortSignal,
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${botUrl}/webhooks/alertmanager`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'user-agent': 'Alertmanager/0.28.1',
      },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}
