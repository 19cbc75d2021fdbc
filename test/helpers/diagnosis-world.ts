/** A simulated cluster (demo topology, fake clock) read through the real cluster reader, for diagnosis tests. */
import { KubeConfig } from '@kubernetes/client-node';
import { diagnose } from '../../src/diagnosis/engine.js';
import type { Scope } from '../../src/diagnosis/scope.js';
import { clientsFor } from '../../src/mcp/k8s/clusters.js';
import { KubeClusterReader } from '../../src/mcp/k8s/reader.js';
import type { MetricsQuery } from '../../src/ports/metrics-query.js';
import { templateOf } from '../../src/sandbox/cluster/controller/deployment.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { kubeconfigYaml } from '../../src/sandbox/cluster/kubeconfig.js';
import type { ReplicaSet } from '../../src/sandbox/cluster/objects.js';
import { type Locale, translator } from '../../src/shared/i18n.js';
import { FakeClock } from './fake-clock.js';

export async function diagnosisWorld(opts: { seed?: number } = {}) {
  const clock = new FakeClock();
  const sim: ClusterSimulator = await startClusterSimulator({ clock, world: { tickMs: 0, seed: opts.seed ?? 7 } });
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(sim.url));
  const reader = new KubeClusterReader({
    clusters: new Map([['sim', clientsFor(kc, 'sim')]]),
    defaultCluster: 'sim',
    now: () => clock.now(),
  });
  const w = {
    clock,
    sim,
    store: sim.store,
    reader,
    async run(seconds: number) {
      for (let i = 0; i < seconds; i++) {
        await clock.advance(1000);
        sim.tick();
      }
    },
    diagnose(scope: Scope | string, o: { locale?: Locale; metrics?: MetricsQuery } = {}) {
      const s: Scope = typeof scope === 'string' ? { kind: 'namespace', cluster: '', namespace: scope } : scope;
      return diagnose(s, { reader, clock, t: translator(o.locale ?? 'en-US'), metrics: o.metrics });
    },
    // biome-ignore lint/suspicious/noExplicitAny: tests patch objects field by field, as kubectl edit does
    modify(kind: string, ns: string | undefined, name: string, fn: (o: any) => void) {
      const o = sim.store.get(kind, ns, name);
      if (!o) throw new Error(`no ${kind} ${ns}/${name}`);
      fn(o as never);
      delete o.metadata.resourceVersion;
      sim.store.update(o);
    },
    /** `kubectl rollout undo`: the previous revision's template back on the deployment. */
    rollback(ns: string, name: string) {
      const rev = (r: ReplicaSet) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision']);
      const sets = (sim.store.list('ReplicaSet', ns, { labels: `app=${name}` }) as ReplicaSet[]).sort(
        (a, b) => rev(b) - rev(a),
      );
      const previous = sets[1];
      if (!previous) throw new Error('no previous revision');
      w.modify('Deployment', ns, name, (d) => {
        d.spec.template = templateOf(previous);
      });
    },
    /** `kubectl rollout restart`. */
    restart(ns: string, name: string) {
      w.modify('Deployment', ns, name, (d) => {
        d.spec.template.metadata = {
          ...d.spec.template.metadata,
          annotations: {
            ...d.spec.template.metadata?.annotations,
            'kubectl.kubernetes.io/restartedAt': new Date(clock.now()).toISOString(),
          },
        };
      });
    },
    close: () => sim.close(),
  };
  await w.run(5);
  return w;
}

export type DiagnosisWorld = Awaited<ReturnType<typeof diagnosisWorld>>;
