/**
 * The real kubectl against the simulated apiserver: discovery, Table output, describe, logs, scale, rollouts,
 * create/delete and watch behave as they do on a real cluster.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSimulator, startClusterSimulator } from '../../../src/sandbox/cluster/index.js';
import type { K8sObject } from '../../../src/sandbox/cluster/store.js';
import { runRolloutController, settleDeployments } from '../../helpers/rollout-controller.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
let sim: ClusterSimulator;
let dir: string;
let stopController: () => void;

function env(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache') };
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, args, { env: env(), timeout: 30_000 });
  return stdout;
}

async function kubectlFails(...args: string[]): Promise<string> {
  try {
    await run(KUBECTL, args, { env: env(), timeout: 30_000 });
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded`);
}

function deployment(name: string, image: string): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cluster-kubectl-'));
  sim = await startClusterSimulator({ kubeconfigPath: join(dir, 'kubeconfig') });
  const { store } = sim;
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  store.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/worker': '' } },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { kubeletVersion: 'v1.32.0' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.11' }],
    },
  });
  store.create(deployment('cart', 'cart:1.0'));
  settleDeployments(store);
  const pod = store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'cart-7d4b9-x2k4p', namespace: 'shop', labels: { app: 'cart' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'cart:1.0' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.7',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 4,
          image: 'cart:1.0',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
          lastState: {
            terminated: { exitCode: 2, reason: 'Error', finishedAt: new Date(Date.now() - 90_000).toISOString() },
          },
        },
      ],
    },
  });
  store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'redis-0', namespace: 'default', labels: { app: 'redis' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'redis', image: 'redis:7' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.8',
      containerStatuses: [{ name: 'redis', ready: true, restartCount: 0, state: { running: {} } }],
    },
  });
  store.appendLog('shop', pod.metadata.name, 'app', 'connecting to db');
  store.appendLog('shop', pod.metadata.name, 'app', 'panic: connection refused');
  store.rotateLogs('shop', pod.metadata.name, 'app');
  store.appendLog('shop', pod.metadata.name, 'app', 'connecting to db (attempt 5)');
  store.recordEvent(pod, 'BackOff', 'Back-off restarting failed container app', 'Warning');
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'cart', namespace: 'shop' },
    spec: { selector: { app: 'cart' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  store.create({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'cart', namespace: 'shop' },
    subsets: [
      {
        addresses: [{ ip: '10.244.1.9' }],
        notReadyAddresses: [{ ip: '10.244.1.7' }],
        ports: [{ name: 'http', port: 8080 }],
      },
    ],
  });
  stopController = runRolloutController(store);
});

afterAll(async () => {
  stopController();
  await sim.close();
});

// kubectl is part of the sandbox's promise; machines without it skip this file (the count shows as skipped).
describe.skipIf(!existsSync(KUBECTL))('kubectl against the cluster simulator', () => {
  it('get pods -A prints the pod table with namespaces, STATUS and RESTARTS', async () => {
    const out = await kubectl('get', 'pods', '-A');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines[1]).toMatch(/^default\s+redis-0\s+1\/1\s+Running\s+0\s+\d+s$/);
    expect(lines[2]).toMatch(/^shop\s+cart-7d4b9-x2k4p\s+0\/1\s+CrashLoopBackOff\s+4 \(\d+s ago\)\s+\d+s$/);
  });

  it('get pods -o wide adds IP and NODE; -o yaml round-trips the object', async () => {
    const wide = await kubectl('get', 'pods', '-n', 'shop', '-o', 'wide');
    expect(wide.split('\n')[0]).toMatch(/IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    expect(wide).toMatch(/cart-7d4b9-x2k4p .*10\.244\.1\.7\s+node-1\s+<none>\s+<none>/);
    const doc = yaml.load(await kubectl('get', 'pod', 'cart-7d4b9-x2k4p', '-n', 'shop', '-o', 'yaml')) as K8sObject;
    expect(doc).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cart-7d4b9-x2k4p', namespace: 'shop' },
    });
    expect((doc.status as { containerStatuses: { restartCount: number }[] }).containerStatuses[0]?.restartCount).toBe(
      4,
    );
  });

  it('describe pod and deployment show state, events and the new replicaset', async () => {
    const pod = await kubectl('describe', 'pod', 'cart-7d4b9-x2k4p', '-n', 'shop');
    expect(pod).toMatch(/Reason:\s+CrashLoopBackOff/);
    expect(pod).toMatch(/Restart Count:\s+4/);
    expect(pod).toMatch(/Warning\s+BackOff\s+\d+s\s+kubelet\s+Back-off restarting failed container app/);
    const deploy = await kubectl('describe', 'deployment', 'cart', '-n', 'shop');
    expect(deploy).toMatch(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/);
    expect(deploy).toMatch(/NewReplicaSet:\s+cart-[0-9a-f]{10} \(2\/2 replicas created\)/);
    const svc = await kubectl('describe', 'service', 'cart', '-n', 'shop');
    expect(svc).toMatch(/TargetPort:\s+8080\/TCP/);
    expect(svc).toMatch(/Endpoints:\s+10\.244\.1\.9:8080\n/);
  });

  it('logs and logs --previous print the current and the crashed container', async () => {
    expect(await kubectl('logs', 'cart-7d4b9-x2k4p', '-n', 'shop')).toBe('connecting to db (attempt 5)\n');
    expect(await kubectl('logs', 'cart-7d4b9-x2k4p', '-n', 'shop', '--previous')).toBe(
      'connecting to db\npanic: connection refused\n',
    );
    expect(await kubectlFails('logs', 'redis-0', '--previous')).toMatch(/previous terminated container "redis"/);
  });

  it('get events lists them and honours involvedObject field selectors', async () => {
    const out = await kubectl('get', 'events', '-n', 'shop');
    expect(out.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(out).toMatch(/Warning\s+BackOff\s+pod\/cart-7d4b9-x2k4p\s+Back-off restarting failed container app/);
    const none = await kubectl('get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.name=other');
    expect(none.trim()).toBe('');
  });

  it('scale, rollout restart, status, history and undo drive the deployment', async () => {
    expect(await kubectl('scale', 'deploy', 'cart', '-n', 'shop', '--replicas=3')).toContain(
      'deployment.apps/cart scaled',
    );
    expect(sim.store.get('Deployment', 'shop', 'cart')?.spec?.replicas).toBe(3);
    expect(await kubectl('rollout', 'restart', 'deploy/cart', '-n', 'shop')).toContain(
      'deployment.apps/cart restarted',
    );
    const template = sim.store.get('Deployment', 'shop', 'cart')?.spec?.template as {
      metadata: { annotations: Record<string, string> };
    };
    expect(template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const status = await kubectl('rollout', 'status', 'deploy/cart', '-n', 'shop', '--timeout=20s');
    expect(status).toContain('deployment "cart" successfully rolled out');
    const history = await kubectl('rollout', 'history', 'deploy/cart', '-n', 'shop');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await kubectl('rollout', 'undo', 'deploy/cart', '-n', 'shop')).toContain('deployment.apps/cart rolled back');
    const after = sim.store.get('Deployment', 'shop', 'cart')?.spec?.template as {
      metadata: { annotations?: Record<string, string> };
    };
    expect(after.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
    await kubectl('rollout', 'status', 'deploy/cart', '-n', 'shop', '--timeout=20s');
    expect(await kubectl('rollout', 'history', 'deploy/cart', '-n', 'shop')).toMatch(/2\s+<none>\n3\s+<none>/);
  });

  it('create -f makes a deployment; delete pod removes the pod', async () => {
    const file = join(dir, 'deploy.yaml');
    writeFileSync(file, yaml.dump(deployment('search', 'search:2.1')));
    expect(await kubectl('create', '-f', file)).toContain('deployment.apps/search created');
    expect(sim.store.get('Deployment', 'shop', 'search')?.metadata.generation).toBe(1);
    expect(await kubectlFails('create', '-f', file)).toContain('deployments.apps "search" already exists');
    const typo = deployment('typo', 'x:1');
    (typo.spec as Record<string, unknown>).replicaz = 2;
    writeFileSync(file, yaml.dump(typo));
    expect(await kubectlFails('create', '-f', file)).toContain('strict decoding error: unknown field "spec.replicaz"');
    expect(sim.store.get('Deployment', 'shop', 'typo')).toBeUndefined();
    expect(await kubectl('delete', 'pod', 'redis-0')).toContain('pod "redis-0" deleted');
    expect(sim.store.get('Pod', 'default', 'redis-0')).toBeUndefined();
    expect(await kubectlFails('delete', 'pod', 'redis-0')).toContain('pods "redis-0" not found');
    expect(existsSync(join(dir, 'kubeconfig'))).toBe(true);
  });

  it('get pods -w prints the table, then a row per change', async () => {
    const child = spawn(KUBECTL, ['get', 'pods', '-n', 'shop', '-w'], { env: env() });
    let out = '';
    const seen = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in: ${out}`)), 20_000);
        const check = () => {
          if (re.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          check();
        });
        check();
      });
    try {
      await seen(/cart-7d4b9-x2k4p/);
      sim.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'cart-new', namespace: 'shop' },
        spec: { containers: [{ name: 'app', image: 'cart:1.0' }] },
      });
      await seen(/cart-new\s+0\/1\s+Pending/);
    } finally {
      child.kill();
    }
    expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  });
});
