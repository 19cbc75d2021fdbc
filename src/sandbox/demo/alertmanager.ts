/**
 * Alertmanager webhook bodies (version 4) built the way Alertmanager builds them: fingerprints are FNV-1a 64
 * over the sorted label set, group/common labels and the group key follow the route's `group_by`.
 */

export type Labels = Record<string, string>;

export interface AlertInput {
  labels: Labels;
  annotations?: Labels;
  status?: 'firing' | 'resolved';
  startsAt: Date;
  endsAt?: Date;
  generatorURL?: string;
}

export interface WebhookBody {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: {
    status: 'firing' | 'resolved';
    labels: Labels;
    annotations: Labels;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
  groupLabels: Labels;
  commonLabels: Labels;
  commonAnnotations: Labels;
  externalURL: string;
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Alertmanager's label-set fingerprint (prometheus/common model.LabelSet.Fingerprint), as 16 hex digits. */
export function fingerprint(labels: Labels): string {
  let hash = 0xcbf29ce484222325n;
  const add = (byte: number) => {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const b of Buffer.from(name)) add(b);
    add(0xff);
    for (const b of Buffer.from(labels[name] ?? '')) add(b);
    add(0xff);
  }
  return hash.toString(16).padStart(16, '0');
}

function common(sets: Labels[]): Labels {
  const [first, ...rest] = sets;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((s) => s[k] === v)));
}

export function webhookBody(
  alerts: AlertInput[],
  options: { groupBy: string[]; receiver?: string; externalURL?: string },
): WebhookBody {
  const built = alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt ? a.endsAt.toISOString() : ZERO_TIME,
    generatorURL: a.generatorURL ?? '',
    fingerprint: fingerprint(a.labels),
  }));
  const commonLabels = common(built.map((a) => a.labels));
  const groupLabels = Object.fromEntries(
    options.groupBy.filter((k) => commonLabels[k] !== undefined).map((k) => [k, commonLabels[k] as string]),
  );
  const groupKey = `{}:{${Object.entries(groupLabels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
  return {
    receiver: options.receiver ?? 'sre-nanobot',
    status: built.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: built,
    groupLabels,
    commonLabels,
    commonAnnotations: common(built.map((a) => a.annotations)),
    externalURL: options.externalURL ?? 'http://alertmanager.sandbox.local:9093',
    version: '4',
    groupKey,
    truncatedAlerts: 0,
  };
}

/** kube-prometheus's KubePodCrashLooping for one container, as kube-state-metrics labels it. */
export function crashLoopingAlert(input: {
  namespace: string;
  pod: string;
  container: string;
  startsAt: Date;
  cluster?: string;
  /** The pod's uid, which kube-state-metrics puts on its series. */
  uid?: string;
  status?: 'firing' | 'resolved';
  endsAt?: Date;
}): AlertInput {
  const labels: Labels = {
    alertname: 'KubePodCrashLooping',
    cluster: input.cluster ?? 'sandbox',
    container: input.container,
    job: 'kube-state-metrics',
    namespace: input.namespace,
    pod: input.pod,
    reason: 'CrashLoopBackOff',
    severity: 'warning',
    ...(input.uid ? { uid: input.uid } : {}),
  };
  const expr =
    'max_over_time(kube_pod_container_status_waiting_reason{job="kube-state-metrics",reason="CrashLoopBackOff"}[5m]) >= 1';
  return {
    labels,
    annotations: {
      description: `Pod ${input.namespace}/${input.pod} (${input.container}) is in waiting state (reason: "CrashLoopBackOff") on cluster ${labels.cluster}.`,
      runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping',
      summary: 'Pod is crash looping.',
    },
    status: input.status ?? 'firing',
    startsAt: input.startsAt,
    ...(input.endsAt ? { endsAt: input.endsAt } : {}),
    generatorURL: `http://prometheus.sandbox.local:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`,
  };
}

/** POSTs a webhook body to the bot as Alertmanager does (bearer token, its user agent); 0 when unreachable. */
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
