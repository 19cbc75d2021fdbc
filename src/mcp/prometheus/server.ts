/** The Prometheus MCP server: read-only tools over the Prometheus HTTP API. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type AnyToolDef, type RegisterOptions, registerTools } from '../tool.js';
import { alertsTool } from './alerts.js';
import type { PrometheusDeps } from './client.js';
import { labelValuesTool } from './label-values.js';
import { metricMetadataTool } from './metric-metadata.js';
import { metricNamesTool } from './metric-names.js';
import { queryTool } from './query.js';
import { queryRangeTool } from './query-range.js';
import { rulesTool } from './rules.js';
import { seriesTool } from './series.js';
import { targetsTool } from './targets.js';
import { tsdbStatusTool } from './tsdb-status.js';

export type { PrometheusDeps } from './client.js';

export const PROMETHEUS_TOOLS: readonly AnyToolDef<PrometheusDeps>[] = [
  queryTool,
  queryRangeTool,
  alertsTool,
  rulesTool,
  metricNamesTool,
  labelValuesTool,
  seriesTool,
  targetsTool,
  metricMetadataTool,
  tsdbStatusTool,
];

export function createPrometheusServer(deps: PrometheusDeps, options: RegisterOptions = {}): McpServer {
  const server = new McpServer({ name: 'sre-nanobot-prometheus', version: '0.1.0' });
  registerTools(server, PROMETHEUS_TOOLS, deps, options);
  return server;
}
