/**
 * Failure scenarios seen and fixed with the real kubectl: what an on-call engineer would type against a real
 * cluster breaks and heals the simulated one the same way.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../../src/sandbox/cluster/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const clock = new FakeClock();
let sim: ClusterSimulator;
let dir: string;

async function kubectl(...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    KUBECONFIG: join(dir, 'kubeconfig'),
    KUBECACHEDIR: join(dir, 'cache'),
  };
  const { stdout } = await run(KUBECTL, args, { env, timeout: 30_000 });
  return stdout;
}

function statuses(table: string): string[] {
  return table
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[2] ?? '');
}

describe.skipIf(!existsSync(KUBECTL))('scenarios through kubectl', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cluster-world-kubectl-'));
    sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig'), clock, world: { seed: 11 } });
    await clock.advance(10_000);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('OOMKilled shows in get/describe and `kubectl set resources` heals it', async () => {
    expect(new Set(statuses(await kubectl('get', 'pods', '-n', 'shop')))).toEqual(new Set(['Running']));
    sim.inject('oomkilled', { namespace: 'shop', deployment: 'checkout' });
    await clock.advance(60_000);
    const table = await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=checkout');
    expect(statuses(table)).toContain('CrashLoopBackOff');
    const bad =
      table
        .split('\n')
        .find((l) => l.includes('CrashLoopBackOff'))
        ?.split(/\s+/)[0] ?? '';
    const described = await kubectl('describe', 'pod', '-n', 'shop', bad);
    expect(described).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    expect(described).toContain('Back-off restarting failed container checkout');

    await kubectl('set', 'resources', 'deployment/checkout', '-n', 'shop', '--limits=memory=512Mi');
    await clock.advance(60_000);
    expect(await kubectl('rollout', 'status', 'deployment/checkout', '-n', 'shop', '--timeout=10s')).toContain(
      'successfully rolled out',
    );
    const healed = await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=checkout');
    expect(statuses(healed)).toEqual(['Running', 'Running', 'Running']);
  });

  it('ImagePullBackOff is undone by `kubectl rollout undo`', async () => {
    sim.inject('image-pull', { namespace: 'shop', deployment: 'cart' });
    await clock.advance(5000);
    expect(statuses(await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=cart'))).toContain('ImagePullBackOff');
    expect(await kubectl('rollout', 'history', 'deployment/cart', '-n', 'shop')).toContain('cart:1.8.3-rc.1');
    await kubectl('rollout', 'undo', 'deployment/cart', '-n', 'shop');
    await clock.advance(10_000);
    expect(statuses(await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=cart'))).toEqual(['Running', 'Running']);
    const deploy = await kubectl(
      'get',
      'deployment',
      'cart',
      '-n',
      'shop',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image} {.status.availableReplicas}',
    );
    expect(deploy).toBe('registry.local/shop/cart:1.8.2 2');
  });

  it('a Service fixed with `kubectl patch` gets its endpoints back', async () => {
    sim.inject('no-endpoints', { namespace: 'shop', service: 'frontend' });
    await clock.advance(2000);
    expect(await kubectl('get', 'endpoints', 'frontend', '-n', 'shop')).toContain('<none>');
    await kubectl('patch', 'service', 'frontend', '-n', 'shop', '-p', '{"spec":{"selector":{"app":"frontend"}}}');
    await clock.advance(2000);
    expect(await kubectl('get', 'endpoints', 'frontend', '-n', 'shop')).toMatch(
      /10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080/,
    );
  });
});
