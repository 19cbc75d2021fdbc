/**
 * The demo scenario: the `checkout` deployment in namespace `shop` starts crash-looping, and Alertmanager tells
 * the bot, as kube-prometheus's KubePodCrashLooping rule would.
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

export interface DemoResult {
  /** What the cluster simulator did, when there is one. */
  injected?: string;
  /** The alert as sent. */
  alert: WebhookBody;
  /** The bot's HTTP answer to the webhook (0 when it could not be reached). */
  status: number;
  body: string;
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
  const now = input.now?.() ?? new Date();
  const alert = webhookBody(
    [
      crashLoopingAlert({
        namespace,
        pod: pod?.metadata.name ?? 'checkout-7d9f8b6c5-x2x9q',
        container,
        startsAt: now,
        ...(pod?.metadata.uid ? { uid: pod.metadata.uid } : {}),
      }),
    ],
    { groupBy: ['alertname', 'namespace'] },
  );
  const result = await postAlert(input.botUrl, input.identity.alertmanagerToken, alert, input.signal);
  if (result.status >= 200 && result.status < 300) {
    input.log.info({ pod: `${namespace}/${pod}`, status: result.status }, 'demo: KubePodCrashLooping sent to the bot');
  } else {
    input.log.warn(
      { status: result.status, body: result.body.slice(0, 300) },
      'demo: the bot did not accept the alert',
    );
  }
  return { ...(injected ? { injected } : {}), alert, ...result };
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
    const pods = cluster.store
      .list('Pod', DEMO_WORKLOAD.namespace)
      .filter((p) => p.metadata.labels?.app === DEMO_WORKLOAD.deployment);
    const crashing = pods.find((p) => waitingReason(p) === 'CrashLoopBackOff');
    if (crashing) return crashing;
    if (Date.now() >= deadline || signal?.aborted) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 250);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
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
