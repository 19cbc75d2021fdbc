/**
 * The real kubectl against the simulator with its control plane running: a rollout is watched to completion,
 * a crash loop is seen in get/describe/logs --previous/events, and rollout undo heals it.
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

function kubectl(...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    KUBECONFIG: join(dir, 'kubeconfig'),
    KUBECACHEDIR: join(dir, 'cache'),
  };
  return run(KUBECTL, args, { env, timeout: 30_000 }).then((r) => r.stdout);
}

/** Runs kubectl while simulated time moves on, as it would while a real cluster converges. */
async function kubectlWhileTimePasses(...args: string[]): Promise<string> {
  let finished = false;
  const pending = kubectl(...args).finally(() => {
    finished = true;
  });
  for (let i = 0; i < 600 && !finished; i++) {
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 25));
  }
  return pending;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cluster-kubectl-world-'));
  sim = await startClusterSimulator({
    kubeconfigPath: join(dir, 'kubeconfig'),
    clock,
    world: { seed: 7, tickMs: 1000 },
  });
  await clock.advance(10_000);
});

afterAll(async () => {
  await sim?.close();
});

describe.skipIf(!existsSync(KUBECTL))('kubectl against the running simulated cluster', () => {
  it('rollout restart is watched to completion by rollout status', async () => {
    expect(await kubectl('rollout', 'restart', 'deployment/frontend', '-n', 'shop')).toContain('restarted');
    const status = await kubectlWhileTimePasses(
      'rollout',
      'status',
      'deployment/frontend',
      '-n',
      'shop',
      '--timeout=60s',
    );
    expect(status).toContain('deployment "frontend" successfully rolled out');
    const pods = await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=frontend', '--no-headers');
    expect(
      pods
        .trim()
        .split('\n')
        .every((l) => /\s1\/1\s+Running\s/.test(l)),
    ).toBe(true);
  });

  it('a crash loop shows in get, describe, logs --previous and events, and rollout undo heals it', async () => {
    sim.inject('crashloop', { namespace: 'shop', deployment: 'checkout' });
    await clock.advance(90_000);
    const pods = await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=checkout', '--no-headers');
    const looping = pods.split('\n').find((l) => /CrashLoopBackOff|Error/.test(l));
    expect(looping, pods).toBeDefined();
    const name = looping?.split(/\s+/)[0] ?? '';
    expect(await kubectl('logs', name, '-n', 'shop', '--previous')).toContain('panic: runtime error');
    expect(await kubectl('describe', 'pod', name, '-n', 'shop')).toMatch(/Back-off restarting failed container/);
    expect(await kubectl('get', 'events', '-n', 'shop', '--field-selector', `involvedObject.name=${name}`)).toMatch(
      /BackOff/,
    );
    const history = await kubectl('rollout', 'history', 'deployment/checkout', '-n', 'shop');
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    expect(await kubectl('rollout', 'undo', 'deployment/checkout', '-n', 'shop')).toContain('rolled back');
    const status = await kubectlWhileTimePasses(
      'rollout',
      'status',
      'deployment/checkout',
      '-n',
      'shop',
      '--timeout=60s',
    );
    expect(status).toContain('successfully rolled out');
    await clock.advance(30_000);
    const healed = await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=checkout', '--no-headers');
    expect(
      healed
        .trim()
        .split('\n')
        .every((l) => /\s1\/1\s+Running\s/.test(l)),
      healed,
    ).toBe(true);
  });

  it('scale and delete pod are converged by the controllers', async () => {
    await kubectl('scale', 'deployment/cart', '-n', 'shop', '--replicas=4');
    await clock.advance(30_000);
    expect(await kubectl('get', 'deployment', 'cart', '-n', 'shop', '--no-headers')).toMatch(/^cart\s+4\/4\s+4\s+4\s/);
    const before = (await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=cart', '-o', 'name')).trim().split('\n');
    expect(await kubectl('delete', before[0] ?? '', '-n', 'shop')).toContain('deleted');
    await clock.advance(30_000);
    const after = (await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=cart', '-o', 'name')).trim().split('\n');
    expect(after).toHaveLength(4);
    expect(after).not.toContain(before[0]);
  });
});
