/** The Kubernetes MCP server: read tools and approval-gated write tools, each supporting a server-side dry run. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type AnyToolDef, type RegisterOptions, registerTools } from '../tool.js';
import type { KubeDeps } from './clusters.js';
import { deploymentRollbackTool } from './deployment-rollback.js';
import { diagnoseTool } from './diagnose.js';
import { eventsListTool } from './events-list.js';
import { nodeCordonTool, nodeUncordonTool } from './node-cordon.js';
import { podDeleteTool } from './pod-delete.js';
import { podLogsTool } from './pod-logs.js';
import { resourceDescribeTool } from './resource-describe.js';
import { resourceGetTool } from './resource-get.js';
import { resourcesListTool } from './resources-list.js';
import { rolloutHistoryTool } from './rollout-history.js';
import { rolloutStatusTool } from './rollout-status.js';
import { setImageTool } from './set-image.js';
import { setResourcesTool } from './set-resources.js';
import { topTool } from './top.js';
import { workloadRestartTool } from './workload-restart.js';
import { workloadScaleTool } from './workload-scale.js';

export type { KubeDeps } from './clusters.js';

export const K8S_TOOLS: readonly AnyToolDef<KubeDeps>[] = [
  resourcesListTool,
  resourceGetTool,
  resourceDescribeTool,
  podLogsTool,
  eventsListTool,
  rolloutStatusTool,
  rolloutHistoryTool,
  topTool,
  diagnoseTool,
  workloadRestartTool,
  workloadScaleTool,
  deploymentRollbackTool,
  setImageTool,
  setResourcesTool,
  podDeleteTool,
  nodeCordonTool,
  nodeUncordonTool,
];

export function createKubernetesServer(deps: KubeDeps, options: RegisterOptions = {}): McpServer {
  const server = new McpServer({ name: 'sre-nanobot-k8s', version: '0.1.0' });
  registerTools(server, K8S_TOOLS, deps, options);
  return server;
}
