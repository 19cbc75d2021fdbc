/** The built-in servers as standalone stdio MCP servers, driven by a stock MCP client. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { FakeAlertmanager } from '../helpers/fake-alertmanager.js';
import { type FakePrometheus, startFakePrometheus } from '../helpers/fake-prometheus.js';
import { seedShop } from '../helpers/seed-cluster.js';

const ROOT = resolve(import.meta.dirname, '../..');

async function connect(verb: string, env: Record<string, string>, flags: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/cli.ts', 'mcp', verb, ...flags],
    cwd: ROOT,
    env: { SRE_NANOBOT_CONFIG: '', LOG_LEVEL: 'silent', ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'test-client', version: '1' });
  await client.connect(transport);
  return client;
}

describe('sre-nanobot mcp alertmanager (stdio)', () => {
  let am: FakeAlertmanager;
  let client: Client;
  beforeAll(async () => {
    am = new FakeAlertmanager();
    client = await connect('alertmanager', { ALERTMANAGER_URL: await am.start() });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await am?.stop();
  });

  it('offers the silence tools as previews only: annotated read-only, and a call creates nothing', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'alert_groups',
      'silence_create',
      'silence_expire',
      'silences_list',
    ]);
    for (const t of tools) expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tools.find((t) => t.name === 'silence_create')?.description).toContain('Preview only here');
    const r = await client.callTool({
      name: 'silence_create',
      arguments: {
        matchers: [{ name: 'alertname', value: 'KubePodCrashLooping' }],
        duration: '1h',
        comment: 'deploying',
      },
    });
    expect(r.structuredContent).toMatchObject({ status: 'ok', data: { dryRun: true } });
    expect(am.createRequests).toBe(0);
  });
});

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
    expect(tools).toHaveLength(10);
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

describe('sre-nanobot mcp k8s (stdio)', () => {
  let sim: ClusterSimulator;
  let client: Client;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-k8s-'));
    sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig') });
    seedShop(sim.store);
    client = await connect('k8s', { KUBECONFIG: join(dir, 'kubeconfig') });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with --allow-writes, write tools carry annotations matching their class', async () => {
    const writer = await connect('k8s', { KUBECONFIG: join(dir, 'kubeconfig') }, ['--allow-writes']);
    const { tools } = await writer.listTools();
    await writer.close();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('pod_logs')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.get('workload_scale')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName.get('pod_delete')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('workload_scale')?._meta).toMatchObject({ 'sre-nanobot/safetyClass': 'write' });
  });

  it('without --allow-writes a write tool only previews, and is annotated as such', async () => {
    const { tools } = await client.listTools();
    const scale = tools.find((t) => t.name === 'workload_scale');
    expect(scale?.annotations).toMatchObject({ readOnlyHint: true });
    expect(scale?.description).toContain('Preview only');
    const r = await client.callTool({
      name: 'workload_scale',
      arguments: { name: 'checkout', namespace: 'shop', replicas: 7, dryRun: false },
    });
    expect((r.content as { text: string }[])[0]?.text).toContain('dry run — would change');
    expect(sim.store.get('Deployment', 'shop', 'checkout')?.spec).toMatchObject({ replicas: 2 });
  });

  it('calls a read tool and a dry-run write against the cluster', async () => {
    const r = await client.callTool({ name: 'resources_list', arguments: { kind: 'pods', namespace: 'shop' } });
    expect((r.content as { text: string }[])[0]?.text).toContain('CrashLoopBackOff');
    const dry = await client.callTool({
      name: 'workload_scale',
      arguments: { name: 'checkout', namespace: 'shop', replicas: 4, dryRun: true },
    });
    expect((dry.content as { text: string }[])[0]?.text).toContain('spec.replicas: 2 → 4');
    expect(sim.store.get('Deployment', 'shop', 'checkout')?.spec).toMatchObject({ replicas: 2 });
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
    expect(err.join('\n')).toContain('usage: sre-nanobot mcp <k8s|prometheus|alertmanager>');
    const io = { env: {}, out: () => {}, err: () => {}, onSignal: () => () => {} };
    expect(await main(['mcp', 'prometheus', '--allow-writes'], io)).toBe(2);
    expect(await main(['mcp', 'prometheus', '--allow-protected'], io)).toBe(2);
    expect(await main(['mcp', 'k8s', '--allow-writes', '--allow-everything'], io)).toBe(2);
    expect(err.join('\n')).toContain('--allow-protected to permit them in protected namespaces');
  });
});
