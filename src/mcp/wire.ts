/** Building the tool layer from configuration: cluster connections, the built-in servers and the ToolHost. */
import type { Config } from '../config.js';
import type { Logger } from '../shared/log.js';
import type { Metrics } from '../shared/metrics.js';
import { McpToolHost } from './host.js';
import type { ApprovalLookup, AuditSink } from './host-audit.js';
import { type KubeClients, type KubeDeps, loadClusters } from './k8s/clusters.js';
import { createKubernetesServer } from './k8s/server.js';
import type { PolicyConfig } from './policy.js';
import { createPrometheusServer, type PrometheusDeps } from './prometheus/server.js';
import { serverNamespaceGuard } from './tool-guard.js';

/**
 * In the bot, the host's per-call timeout cancels a call (and so its requests) first; the servers' own deadline
 * is a backstop for longer calls a runbook step may ask for.
 */
const IN_BOT_DEADLINE_MS = 10 * 60_000;

export function policyFromConfig(config: Config): PolicyConfig {
  return {
    protectedNamespaces: config.file.namespaces.protected,
    allowNamespaces: config.file.namespaces.allow,
    people: config.file.people,
    autoNamespaces: config.file.approvals.low.auto_namespaces,
  };
}

export function kubeDepsFromConfig(
  config: Config,
  now: () => number,
  onProblem: (problem: string) => void = () => {},
): KubeDeps {
  const { clusters, problems } = loadClusters(config.file.clusters, config.kube.kubeconfig);
  for (const p of problems) onProblem(p);
  const typed: Map<string, KubeClients> = clusters;
  return { clusters: typed, defaultCluster: typed.keys().next().value, now };
}

export function prometheusDepsFromConfig(config: Config, now: () => number): PrometheusDeps {
  return { baseUrl: config.prometheus.url, timeoutMs: 20_000, now };
}

export async function buildToolHost(
  config: Config,
  deps: {
    log: Logger;
    now: () => number;
    audit?: AuditSink;
    approvals?: ApprovalLookup;
    kube?: KubeDeps;
    metrics?: Metrics;
  },
): Promise<{ host: McpToolHost; kube: KubeDeps }> {
  const kube = deps.kube ?? kubeDepsFromConfig(config, deps.now, (p) => deps.log.warn(`Kubernetes unavailable: ${p}`));
  const host = await McpToolHost.start({
    builtIns: [
      {
        name: 'k8s',
        server: createKubernetesServer(kube, {
          // The policy refuses first; the server repeats the guard so no path around the host writes there.
          guard: serverNamespaceGuard(policyFromConfig(config), {
            protectedHint: 'list it under namespaces.allow in the configuration to permit writes there',
          }),
          deadlineMs: IN_BOT_DEADLINE_MS,
        }),
      },
      {
        name: 'prometheus',
        server: createPrometheusServer(prometheusDepsFromConfig(config, deps.now), { deadlineMs: IN_BOT_DEADLINE_MS }),
      },
    ],
    external: config.file.mcpServers,
    toolClasses: config.file.tool_classes,
    policy: policyFromConfig(config),
    clusters: [...kube.clusters.keys()],
    log: deps.log,
    now: deps.now,
    ...(deps.metrics ? { observe: toolMetrics(deps.metrics) } : {}),
    ...(deps.audit ? { audit: deps.audit } : {}),
    ...(deps.approvals ? { approvals: deps.approvals } : {}),
  });
  return { host, kube };
}

/** Readiness: every configured cluster answers a cheap request within a few seconds. */
export async function clusterReadiness(kube: KubeDeps): Promise<{ ok: boolean; detail?: string }> {
  const failures: string[] = [];
  await Promise.all(
    [...kube.clusters.values()].map(async (c) => {
      try {
        await Promise.race([
          c.core.listNamespace({ limit: 1 }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref()),
        ]);
      } catch (err) {
        failures.push(`${c.name}: ${(err as Error).message.split('\n')[0]}`);
      }
    }),
  );
  return failures.length === 0 ? { ok: true } : { ok: false, detail: failures.join('; ') };
}

/** `sre_nanobot_tool_calls_total{tool,result}` and `sre_nanobot_tool_call_duration_seconds{tool}`. */
export function toolMetrics(metrics: Metrics) {
  const calls = metrics.counter('sre_nanobot_tool_calls_total', 'Tool calls through the ToolHost, by outcome', [
    'tool',
    'result',
  ]);
  const duration = metrics.histogram(
    'sre_nanobot_tool_call_duration_seconds',
    'Tool call latency',
    ['tool'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  return (e: { tool: string; kind: string; seconds: number }) => {
    calls.inc({ tool: e.tool, result: e.kind });
    duration.observe({ tool: e.tool }, e.seconds);
  };
}
