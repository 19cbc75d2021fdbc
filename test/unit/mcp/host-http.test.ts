/** An external MCP server reached over streamable HTTP, with the configured headers; denied until classified. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpToolHost } from '../../../src/mcp/host.js';
import { DEFAULT_POLICY } from '../../../src/mcp/policy.js';
import { silentLogger } from '../../../src/shared/log.js';

let http: Server;
let url: string;
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  http = createServer(async (req, res) => {
    seenAuth.push(req.headers.authorization);
    if (req.headers.authorization !== 'Bearer docs-token') {
      res.writeHead(401).end();
      return;
    }
    // stateless: a fresh server and transport per request
    const server = new McpServer({ name: 'docs', version: '1' });
    server.registerTool(
      'search',
      { description: 'Search runbook docs', inputSchema: { q: z.string() } },
      async ({ q }) => ({ content: [{ type: 'text', text: `3 pages about ${q}` }] }),
    );
    server.registerTool('empty', { description: 'Finds nothing', inputSchema: {} }, async () => ({ content: [] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});

describe('external MCP server over streamable HTTP', () => {
  it('sends the configured headers, lists tools unclassified and calls only classified ones', async () => {
    const host = await McpToolHost.start({
      builtIns: [],
      external: { docs: { url, headers: { Authorization: 'Bearer docs-token' } } },
      toolClasses: { 'docs.search': 'read', 'docs.empty': 'read' },
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: Date.now,
    });
    try {
      expect(host.list().map((t) => [t.name, t.safetyClass])).toEqual([
        ['docs.search', 'read'],
        ['docs.empty', 'read'],
      ]);
      expect(await host.call('docs.search', { q: 'oom' }, { kind: 'llm' })).toMatchObject({
        kind: 'ok',
        text: '3 pages about oom',
      });
      expect(await host.call('docs.empty', {}, { kind: 'llm' })).toMatchObject({ kind: 'no_data' });
      expect(seenAuth.every((a) => a === 'Bearer docs-token')).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('a server that refuses the connection is skipped; the host still starts', async () => {
    const host = await McpToolHost.start({
      builtIns: [],
      external: { docs: { url, headers: {} } },
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: Date.now,
    });
    expect(host.list()).toEqual([]);
    expect(await host.call('docs.search', { q: 'x' }, { kind: 'llm' })).toMatchObject({
      kind: 'error',
      code: 'unknown_tool',
    });
    await host.close();
  });
});
