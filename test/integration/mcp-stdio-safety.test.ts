/**
 * The standalone `sre-nanobot mcp k8s` server is as safe as the tool layer inside the bot: driven by a stock MCP
 * client over stdio against the cluster simulator (behind a recording proxy, to see what reached the API).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { writeKubeconfig } from '../../src/sandbox/cluster/kubeconfig.js';
import { type RecordingProxy, startRecordingProxy } from '../helpers/recording-proxy.js';
import { seedShop } from '../helpers/seed-cluster.js';

const ROOT = resolve(import.meta.dirname, '../..');
const POD = 'checkout-7d9f8b6c5-x2x9q';
const SECRETS = {
  bearer: 'Authorization: Bearer abcdefghijklmnop0123456789',
  password: 'login ok user=svc password=Hunter2Hunter2',
  aws: 'using key AKIAIOSFODNN7EXAMPLE secret aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  url: 'redis at rediss://cache:S3cr3tPa55@redis.shop:6380/0',
  jwt: 'session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  github:
    'cloning with ghp_16C7e42F292c6912E7710c838347Ae178B4a and github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
};
const LEAKS = [
  'abcdefghijklmnop0123456789',
  'Hunter2Hunter2',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'S3cr3tPa55',
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  'Pg_pr0d_9f8a7b6c',
];

let sim: ClusterSimulator;
let proxy: RecordingProxy;
let dir: string;
const clients: Client[] = [];

async function connect(flags: string[], config?: string): Promise<Client> {
  let configPath = '';
  if (config !== undefined) {
    configPath = join(dir, `config-${clients.length}.yaml`);
    writeFileSync(configPath, config);
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', 'src/cli.ts', 'mcp', 'k8s', ...flags],
    cwd: ROOT,
    env: { SRE_NANOBOT_CONFIG: configPath, LOG_LEVEL: 'silent', KUBECONFIG: join(dir, 'kubeconfig') },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'test-client', version: '1' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const textOf = (r: unknown) => ((r as { content: { text?: string }[] }).content[0]?.text ?? '') as string;
// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects in assertions
const spec = (ns: string, name: string): any => sim.store.get('Deployment', ns, name)?.spec;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-safety-'));
  sim = await startClusterSimulator();
  seedShop(sim.store);
  for (const line of Object.values(SECRETS)) sim.store.appendLog('shop', POD, 'checkout', line);
  sim.store.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'legacy', namespace: 'shop' },
    data: { DB_PASS: 'Pg_pr0d_9f8a7b6c', 'probe.sh': 'curl -u admin:S3cr3tPa55 http://db.shop', FEATURE_Y: 'off' },
  });
  proxy = await startRecordingProxy(sim.url);
  writeKubeconfig(join(dir, 'kubeconfig'), proxy.url);
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await proxy?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('namespace guard in the standalone server', () => {
  it('with --allow-writes, a write into kube-system is refused before any request, naming --allow-protected', async () => {
    const client = await connect(['--allow-writes']);
    const before = proxy.requests.length;
    const r = await client.callTool({
      name: 'workload_scale',
      arguments: { name: 'coredns', namespace: 'kube-system', replicas: 0 },
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('namespace kube-system is protected');
    expect(textOf(r)).toContain('--allow-protected');
    expect(proxy.requests.length).toBe(before);
    expect(spec('kube-system', 'coredns').replicas).toBe(2);
    // a write elsewhere still goes through
    const ok = await client.callTool({
      name: 'workload_scale',
      arguments: { name: 'checkout', namespace: 'shop', replicas: 3 },
    });
    expect(ok.isError).toBeFalsy();
    expect(spec('shop', 'checkout').replicas).toBe(3);
  }, 30_000);

  it('--allow-protected overrides the protected list explicitly', async () => {
    const client = await connect(['--allow-writes', '--allow-protected']);
    const r = await client.callTool({
      name: 'workload_scale',
      arguments: { name: 'coredns', namespace: 'kube-system', replicas: 1 },
    });
    expect(r.isError).toBeFalsy();
    expect(spec('kube-system', 'coredns').replicas).toBe(1);
  }, 30_000);

  it('outside namespaces.allow, writes are refused (even previews), naming namespaces.allow', async () => {
    const client = await connect(['--allow-writes', '--allow-protected'], 'namespaces:\n  allow: [payments]\n');
    const before = proxy.requests.length;
    const r = await client.callTool({
      name: 'pod_delete',
      arguments: { name: POD, namespace: 'shop' },
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('namespace shop is not in namespaces.allow');
    expect(proxy.requests.length).toBe(before);
    expect(sim.store.get('Pod', 'shop', POD)).toBeDefined();
    // reads are not guarded
    const read = await client.callTool({ name: 'resources_list', arguments: { kind: 'pods', namespace: 'shop' } });
    expect(read.isError).toBeFalsy();
  }, 30_000);
});

describe('results of the standalone server', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect([]);
  }, 30_000);

  it('masks credentials in pod logs, in the text and in the structured content', async () => {
    const r = await client.callTool({ name: 'pod_logs', arguments: { name: POD, namespace: 'shop', tail: 50 } });
    const all = JSON.stringify(r);
    for (const leak of LEAKS) expect(all, leak).not.toContain(leak);
    expect(textOf(r)).toContain('Authorization: Bearer [REDACTED]');
    expect(textOf(r)).toContain('rediss://cache:[REDACTED]@redis.shop');
    expect(JSON.stringify(r.structuredContent)).toContain('password=[REDACTED]');
  });

  it('masks credential-named env values and password pairs in ConfigMaps', async () => {
    const pod = await client.callTool({
      name: 'resource_get',
      arguments: { kind: 'pod', name: POD, namespace: 'shop' },
    });
    const cm = await client.callTool({
      name: 'resource_get',
      arguments: { kind: 'configmap', name: 'checkout-config', namespace: 'shop' },
    });
    const legacy = await client.callTool({
      name: 'resource_get',
      arguments: { kind: 'configmap', name: 'legacy', namespace: 'shop' },
    });
    for (const r of [pod, cm, legacy]) expect(JSON.stringify(r)).not.toContain('Pg_pr0d_9f8a7b6c');
    expect(JSON.stringify(legacy)).not.toContain('S3cr3tPa55');
    expect(legacy.structuredContent).toMatchObject({ data: { data: { DB_PASS: '[REDACTED]', FEATURE_Y: 'off' } } });
    expect(JSON.stringify(pod.structuredContent)).toContain('DB_PASSWORD');
    expect(JSON.stringify(cm.structuredContent)).toContain('server.port=8080');
  });

  it('a catastrophic grep pattern returns promptly; the server keeps answering', async () => {
    sim.store.appendLog('shop', 'cart-5c6d7f8b9-abcde', 'cart', `${'a'.repeat(5000)}!`);
    const started = performance.now();
    const [r, ping] = await Promise.all([
      client.callTool({
        name: 'pod_logs',
        arguments: { name: 'cart-5c6d7f8b9-abcde', namespace: 'shop', grep: '(a+)+$' },
      }),
      client.listTools(),
    ]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(ping.tools.length).toBeGreaterThan(0);
    expect(r.structuredContent).toMatchObject({ status: 'no_data' });
    const backref = await client.callTool({
      name: 'pod_logs',
      arguments: { name: 'cart-5c6d7f8b9-abcde', namespace: 'shop', grep: '(a)\\1' },
    });
    expect(backref.isError).toBe(true);
    expect(textOf(backref)).toContain('backreferences are not supported');
  });

  it('tail 5000 of long lines: both renderings capped, and the result says so', async () => {
    for (let i = 0; i < 5000; i++) sim.store.appendLog('shop', POD, 'checkout', `${i} ${'x'.repeat(600)}`);
    const r = await client.callTool({ name: 'pod_logs', arguments: { name: POD, namespace: 'shop', tail: 5000 } });
    expect(JSON.stringify(r).length).toBeLessThan(120_000);
    expect(textOf(r)).toMatch(/^\[truncated: last \d+ of 5000 lines shown \(cap 24000 characters/);
    expect(r.structuredContent).toMatchObject({
      status: 'ok',
      truncated: true,
      data: { truncated: { linesTotal: 5000, capChars: 24_000 } },
    });
    expect(
      textOf(r)
        .trimEnd()
        .endsWith(`4999 ${'x'.repeat(600)}`),
    ).toBe(true);
  });
});
