/**
 * The demo scenario: the `checkout` deployment in namespace `shop` starts crash-looping, and Alertmanager tells
 * the bot, as kube-prometheus's KubePodCrashLooping rule would.
 */
import type { Logger } from '../../shared/log.js';
import type { SandboxIdentity } from '../identity.js';
import { crashLoopingAlert, type WebhookBody, webhookBody } from './alertmanager.js';

export const DEMO_WORKLOAD = { namespace: 'shop', deployment: 'checkout', container: 'checkout' } as const;

export interface DemoInput {
  botUrl: string;
  identity: SandboxIdentity;
  log: Logger;
  /** The crash-looping pod's name (from the simulated cluster when it runs one). */
  pod?: string;
  now?: () => Date;
}

export interface DemoResult {
  /** The alert as sent. */
  alert: WebhookBody;
  /** The bot's HTTP answer to the webhook (0 when it could not be reached). */
  status: number;
  body: string;
}

export async function runDemo(input: DemoInput): Promise<DemoResult> {
  const { namespace, container } = DEMO_WORKLOAD;
  const now = input.now?.() ?? new Date();
  const pod = input.pod ?? 'checkout-7d9f8b6c5-x2x9q';
  const alert = webhookBody(
    [crashLoopingAlert({ namespace, pod, container, startsAt: new Date(now.getTime() - 15 * 60_000) })],
    { groupBy: ['alertname', 'namespace'] },
  );
  const result = await postAlert(input.botUrl, input.identity.alertmanagerToken, alert);
  if (result.status >= 200 && result.status < 300) {
    input.log.info({ pod: `${namespace}/${pod}`, status: result.status }, 'demo: KubePodCrashLooping sent to the bot');
  } else {
    input.log.warn(
      { status: result.status, body: result.body.slice(0, 300) },
      'demo: the bot did not accept the alert',
    );
  }
  return { alert, ...result };
}

export async function postAlert(
  botUrl: string,
  token: string,
  body: WebhookBody,
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
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}
