/** The built-in servers as standalone stdio MCP servers, driven by a stock MCP client. */
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePrometheus, startFakePrometheus } from '../helpers/fake-prometheus.js';

const ROOT = resolve(import.meta.dirname, '../..');

async function connect(verb: string, env: Record<string, string>): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/cli.ts', 'mcp', verb],
    cwd: ROOT,
    env: { SRE_NANOBOT_CONFIG: '', LOG_LEVEL: 'silent', ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'test-client', version: '1' });
  await client.connect(transport);
  return client;
}

describe('sre-nanobot mcp prometheus (stdio)', () => {
  let prom: FakePrometheus;
  let client: Client;
  beforeAll(async () => {
    prom = await startFakePrometheus();
    client = await connect('prometheus', { PROMETHEUS_URL: prom.url });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await prom?.close();
  });

  it('lists its tools with truthful read-only annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('query_range');
    expect(tools).toHaveLength(8);
    for (const t of tools) {
      expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(t.inputSchema.type).toBe('object');
    }
  });

  it('calls a tool and returns text and structured content', async () => {
    const r = await client.callTool({ name: 'alerts', arguments: { state: 'firing' } });
    expect(r.isError).toBeFalsy();
    const text = (r.content as { type: string; text: string }[])[0]?.text ?? '';
    expect(text).toContain('KubePodCrashLooping');
    expect(r.structuredContent).toMatchObject({ status: 'ok' });
  });

  it('rejects malformed PromQL before it reaches Prometheus', async () => {
    const before = prom.requests.length;
    const r = await client.callTool({ name: 'query', arguments: { query: 'rate(x[5m]' } });
    expect(r.isError).toBe(true);
    expect(prom.requests.length).toBe(before);
  });
});

describe('sre-nanobot mcp (usage)', () => {
  it('refuses an unknown server name', async () => {
    const { main } = await import('../../src/main.js');
    const err: string[] = [];
    const code = await main(['mcp', 'etcd'], {
      env: {},
      out: () => {},
      err: (l) => err.push(l),
      onSignal: () => () => {},
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('usage: sre-nanobot mcp <k8s|prometheus>');
  });
});
