/** The Alertmanager MCP server: alert groups and silences to read; silences to create and expire (approval-gated). */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type AnyToolDef, type RegisterOptions, registerTools } from '../tool.js';
import { alertGroupsTool } from './alert-groups.js';
import type { AlertmanagerDeps } from './client.js';
import { silenceCreateTool } from './silence-create.js';
import { silenceExpireTool } from './silence-expire.js';
import { silencesListTool } from './silences-list.js';

export type { AlertmanagerDeps } from './client.js';

export const ALERTMANAGER_TOOLS: readonly AnyToolDef<AlertmanagerDeps>[] = [
  alertGroupsTool,
  silencesListTool,
  silenceCreateTool,
  silenceExpireTool,
];

export function createAlertmanagerServer(deps: AlertmanagerDeps, options: RegisterOptions = {}): McpServer {
  const server = new McpServer({ name: 'sre-nanobot-alertmanager', version: '0.1.0' });
  registerTools(server, ALERTMANAGER_TOOLS, deps, options);
  return server;
}
