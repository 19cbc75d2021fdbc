/** Opening MCP client connections: built-in servers in-process, external servers over stdio or HTTP. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** One external server as in the familiar `mcpServers` JSON shape. */
export type ExternalServerConfig =
  | { command: string; args: string[]; env: Record<string, string> }
  | { url: string; headers: Record<string, string> };

const CLIENT_INFO = { name: 'sre-nanobot', version: '0.1.0' };

export async function connectInProcess(server: McpServer): Promise<{ client: Client; close: () => Promise<void> }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client(CLIENT_INFO);
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export async function connectExternal(
  config: ExternalServerConfig,
  timeoutMs: number,
): Promise<{ client: Client; close: () => Promise<void> }> {
  // The transports are loaded only when an external server is configured (the built-ins need neither).
  const transport =
    'command' in config
      ? new (await import('@modelcontextprotocol/sdk/client/stdio.js')).StdioClientTransport({
          command: config.command,
          args: config.args,
          // The SDK passes only a safe default set (PATH, HOME, …) plus this: the bot's own secrets stay home.
          env: config.env,
          stderr: 'ignore',
        })
      : new (await import('@modelcontextprotocol/sdk/client/streamableHttp.js')).StreamableHTTPClientTransport(
          new URL(config.url),
          { requestInit: { headers: config.headers } },
        );
  const client = new Client(CLIENT_INFO);
  await client.connect(transport, { timeout: timeoutMs });
  return { client, close: () => client.close() };
}
