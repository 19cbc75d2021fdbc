/**
 * Runbooks when the outside world fails: Prometheus down (refusing connections, or answering 503) during the
 * verification ends the run as "cannot verify", never as success; the Kubernetes API answering a write step
 * with 409, 422, 500 or not at all ends the run with a clear outcome on its card and in its thread, runs the
 * runbook's rollback when it has one, and never repeats the write.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusMetricsQuery } from '../../src/mcp/prometheus/metrics-query.js';
import type { ToolHost } from '../../src/ports/tools.js';
import { startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { Store } from '../../src/store/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { OPERATOR, type RunbookWorld, runbookWorld } from '../integration/runbook-world.js';
import { type Fault, startFaultyProxy } from './faulty-proxy.js';

let w: RunbookWorld | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await w?.close();
  w = undefined;
  for (const c of closers.splice(0)) await c();
});

// biome-ignore lint/suspicious/noExplicitAny: reading simulator objects
const deployment = (x: RunbookWorld, name: string): any => x.sim.store.get('Deployment', 'shop', name);
const memoryLimit = (x: RunbookWorld, name: string): string | undefined =>
  deployment(x, name).spec.template.spec.containers[0].resources?.limits?.memory;
const ended = (x: RunbookWorld, id: string) => () =>
  ['succeeded', 'failed', 'rolled_back', 'interrupted'].includes(x.state(id).phase);

const raiseMemory = (deployment: string) => ({
  action: 'run_runbook',
  runbookId: 'raise-memory-limit',
  params: {
    namespace: 'shop',
    deployment,
    container: deployment,
    memory_limit: '512Mi',
    previous_memory_limit: '256Mi',
  },
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback port nothing listens on (bound, then released). */
async function deadPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('Prometheus down during verification', () => {
  const cases: [string, () => Promise<string>][] = [
    ['refusing connections', deadPort],
    [
      'answering 503',
      () =>
        listen(
          createServer((_req, res) => {
            res.writeHead(503, { 'content-type': 'text/plain' });
            res.end('Service Unavailable');
          }),
        ),
    ],
  ];
  for (const [how, prometheus] of cases) {
    it(`${how}: "cannot verify", never success, and the change is not undone`, async () => {
      const baseUrl = await prometheus();
      let clock: FakeClock | undefined;
      const metrics = new PrometheusMetricsQuery({ baseUrl, timeoutMs: 2_000, now: () => clock?.now() ?? 0 });
      w = await runbookWorld({ metrics });
      clock = w.clock;
      await w.click(OPERATOR, raiseMemory('cart'));
      const runId = w.latestRunId();
      await w.approve(runId);
      await w.until(ended(w, runId), 1800, 5000);
      const s = w.state(runId);
      expect(s.phase).toBe('failed');
      expect(s.verification).toMatchObject({ result: 'cannot_verify' });
      expect(s.verification?.detail).toContain('memory-headroom: Prometheus did not answer');
      expect(memoryLimit(w, 'cart')).toBe('512Mi');
      expect(s.history.map((h) => h.section)).toEqual(['steps']);
      expect(w.finalText(runId)).toContain('cannot verify');
      expect(w.lastCard(runId)).not.toContain('Done — verified');
    }, 120_000);
  }
});

/** The engine's tool host with a short per-call timeout, so an API server that never answers is given up on. */
function withTimeout(host: ToolHost, timeoutMs: number): ToolHost {
  return {
    list: () => host.list(),
    call: (name, args, caller, options) => host.call(name, args, caller, { ...options, timeoutMs }),
    ...(host.clusters ? { clusters: () => host.clusters?.() ?? [] } : {}),
  } as ToolHost;
}

/** Drives cluster and engine time forward until `done`, giving real time to calls that wait on a real timer. */
async function settle(x: RunbookWorld, done: () => boolean, realMs = 30_000): Promise<void> {
  const deadline = Date.now() + realMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`not settled within ${realMs} ms: ${JSON.stringify(x.state(x.latestRunId()))}`);
    await x.clock.advance(1000);
    x.sim.tick();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Kubernetes API errors during a write step', () => {
  const faults: Fault[] = [
    { status: 409, reason: 'Conflict', message: 'the object has been modified; please apply your changes' },
    { status: 422, reason: 'Invalid', message: 'spec.template.spec.containers[0].resources.limits: Invalid value' },
    { status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' },
    'hang',
  ];
  for (const fault of faults) {
    const name = fault === 'hang' ? 'no answer (timeout)' : String(fault.status);
    it(`${name}: the run fails with the reason on its card and in its thread, rolls back, and the write is not repeated`, async () => {
      const clock = new FakeClock();
      const sim = await startClusterSimulator({ clock, world: { tickMs: 0, seed: 7 } });
      const isWrite = (method: string, path: string) =>
        (method === 'PATCH' || method === 'PUT') &&
        path.startsWith('/apis/apps/v1/namespaces/shop/deployments/cart') &&
        !path.includes('dryRun');
      // The step's write meets the fault; the rollback's write, after it, reaches the cluster.
      const proxy = await startFaultyProxy(sim.url, { when: isWrite, fault, times: 1 });
      closers.push(() => proxy.close());
      w = await runbookWorld({
        from: { clock, sim: { ...sim, url: proxy.url }, store: Store.open(':memory:') },
        metrics: { instant: async () => [{ labels: {}, value: 0.2 }] },
        wrapTools: (host) => withTimeout(host, 1_500),
      });
      await w.run(5);
      const before = memoryLimit(w, 'cart') ?? '';
      const request = raiseMemory('cart');
      await w.click(OPERATOR, { ...request, params: { ...request.params, previous_memory_limit: before } });
      const runId = w.latestRunId();
      expect(w.state(runId).phase).toBe('awaiting_approval');
      await w.approve(runId);
      await settle(w, ended(w, runId));

      const s = w.state(runId);
      const reason = fault === 'hang' ? 'no result within 1500 ms' : `Kubernetes API returned ${fault.status}`;
      expect(s.phase).toBe('rolled_back');
      expect(s.history.map((h) => [h.section, h.stepId, h.outcome?.result])).toEqual([
        ['steps', 'raise-limit', 'failed'],
        ['rollback', 'restore-limit', 'ok'],
      ]);
      expect(s.history[0]?.outcome).toMatchObject({ message: expect.stringContaining(reason) });
      expect(w.lastCard(runId)).toContain(reason);
      expect(w.finalText(runId)).toContain(reason);
      // The failed write was sent once and never again; the only write that reached the cluster is the rollback.
      expect(proxy.faulted).toHaveLength(1);
      expect(proxy.forwarded.filter((r) => isWrite(r.method, r.path))).toHaveLength(1);
      expect(memoryLimit(w, 'cart')).toBe(before);
      const writes = w.store.audit
        .list({ action: 'tool:k8s.set_resources' })
        .filter((a) => a.decision === 'allow' && a.detail.dryRun !== true);
      expect(writes).toHaveLength(2);
    }, 120_000);
  }
});
