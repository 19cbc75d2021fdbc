/**
 * Configuration files for a real Prometheus and Alertmanager pointed at the sandbox: Prometheus scrapes the
 * simulator's kube-state-metrics-style `/metrics` and the extra series (./http.ts), evaluates the
 * kube-prometheus rules with shortened durations and sends to Alertmanager; Alertmanager routes everything
 * to the bot's webhook with the bearer token and sends resolved notifications.
 */
import * as yaml from 'js-yaml';
import { KUBE_PROMETHEUS_RULES, type KubePrometheusRule } from './kube-prometheus-rules.js';
import { type AlertTiming, formatPromDuration, shortenRanges, shortFor } from './timing.js';

export const SANDBOX_CLUSTER = 'sandbox';

const hostPort = (url: string) => new URL(url).host;

export function rulesYaml(timing: AlertTiming, rules: readonly KubePrometheusRule[] = KUBE_PROMETHEUS_RULES): string {
  const groups = new Map<string, unknown[]>();
  for (const r of rules) {
    const holdFor = shortFor(r.for, timing);
    const list = groups.get(r.group) ?? [];
    list.push({
      alert: r.name,
      expr: shortenRanges(r.expr, timing),
      ...(holdFor > 0 ? { for: formatPromDuration(holdFor) } : {}),
      labels: { severity: r.severity },
      annotations: { description: r.description, runbook_url: r.runbook_url, summary: r.summary },
    });
    groups.set(r.group, list);
  }
  return yaml.dump({ groups: [...groups].map(([name, rules]) => ({ name, rules })) }, { lineWidth: -1 });
}

export function prometheusYaml(input: {
  timing: AlertTiming;
  simulatorUrl: string;
  extrasUrl: string;
  alertmanagerUrl: string;
  rulesPath: string;
}): string {
  const every = formatPromDuration(input.timing.evalMs);
  const sim = hostPort(input.simulatorUrl);
  const extras = hostPort(input.extrasUrl);
  const cluster = { cluster: SANDBOX_CLUSTER };
  return yaml.dump({
    global: { scrape_interval: every, scrape_timeout: every, evaluation_interval: every },
    rule_files: [input.rulesPath],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [hostPort(input.alertmanagerUrl)] }] }] },
    scrape_configs: [
      {
        job_name: 'kube-state-metrics',
        static_configs: [
          { targets: [sim], labels: cluster },
          { targets: [extras], labels: { ...cluster, __metrics_path__: '/metrics/kube-state-metrics' } },
        ],
      },
      {
        job_name: 'kubelet',
        static_configs: [
          { targets: [extras], labels: { ...cluster, metrics_path: '/metrics', __metrics_path__: '/metrics/kubelet' } },
          {
            targets: [extras],
            labels: { ...cluster, metrics_path: '/metrics/cadvisor', __metrics_path__: '/metrics/cadvisor' },
          },
        ],
      },
    ],
  });
}

export function alertmanagerYaml(input: {
  timing: AlertTiming;
  botUrl: string;
  token: string;
  groupBy?: string[];
}): string {
  return yaml.dump({
    route: {
      receiver: 'sre-nanobot',
      group_by: input.groupBy ?? ['alertname', 'namespace'],
      group_wait: formatPromDuration(input.timing.groupWaitMs),
      group_interval: formatPromDuration(input.timing.groupIntervalMs),
      repeat_interval: formatPromDuration(input.timing.repeatIntervalMs),
    },
    receivers: [
      {
        name: 'sre-nanobot',
        webhook_configs: [
          {
            url: `${input.botUrl}/webhooks/alertmanager`,
            send_resolved: true,
            http_config: { authorization: { type: 'Bearer', credentials: input.token } },
          },
        ],
      },
    ],
  });
}
