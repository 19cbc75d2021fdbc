/** `sre-nanobot mcp k8s|prometheus|alertmanager`: one built-in server over stdio, for any MCP client. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Config } from '../config.js';
import { createAlertmanagerServer } from './alertmanager/server.js';
import { createKubernetesServer } from './k8s/server.js';
import { createPrometheusServer } from './prometheus/server.js';
import { serverNamespaceGuard } from './tool-guard.js';
import { alertmanagerDepsFromConfig, kubeDepsFromConfig, policyFromConfig, prometheusDepsFromConfig } from './wire.js';

export const STDIO_SERVERS = ['k8s', 'prometheus', 'alertmanager'] as const;
export type StdioServerName = (typeof STDIO_SERVERS)[number];

/**
 * Serves until the client closes stdin; resolves then. With no policy in front of it, the Kubernetes server's
 * write tools only preview (server-side dry run) unless writes are explicitly allowed; even then the namespace
 * guard holds (protected namespaces and `namespaces.allow` from the configuration) unless protected namespaces
 * are explicitly allowed too. The Alertmanager server's silence tools always only preview there (they list the
 * alerts a silence would hold). Every call has a deadline and every result is redacted and capped.
 */
export async function serveStdio(
  which: StdioServerName,
  config: Config,
  options: { allowWrites?: boolean; allowProtected?: boolean } = {},
): Promise<void> {
  const now = () => Date.now();
  const server =
    which === 'k8s'
      ? createKubernetesServer(kubeDepsFromConfig(config, now), {
          previewOnly: options.allowWrites !== true,
          guard: serverNamespaceGuard(policyFromConfig(config), { allowProtected: options.allowProtected === true }),
        })
      : which === 'alertmanager'
        ? createAlertmanagerServer(alertmanagerDepsFromConfig(config, now), { previewOnly: true })
        : createPrometheusServer(prometheusDepsFromConfig(config, now));
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
