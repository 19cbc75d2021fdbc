/**
 * `ClusterReader` over the Kubernetes tool layer: the same cluster map (`pick`), the same typed calls
 * (`KIND_OPS`) and the same failure shape (`kube()`: request, status, body), turned into `ClusterReadError`
 * so the diagnosis engine never sees this layer's types. Secrets leave with their values masked.
 */
import type {
  ClusterObjects,
  ClusterReader,
  KubeObject,
  LogRequest,
  ReadKind,
  RolloutRevision,
} from '../../ports/cluster.js';
import { ClusterReadError } from '../../ports/cluster.js';
import { stripSecretData } from '../../shared/redact.js';
import { UpstreamError } from '../tool.js';
import { isNotFound, kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { KIND_OPS, requestPath } from './kinds.js';
import { REVISION } from './rollout-history.js';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

function toReadError(err: unknown): unknown {
  if (err instanceof UpstreamError)
    return new ClusterReadError(err.message, err.upstream.request, err.upstream.status, err);
  if (err instanceof ClusterReadError) return err;
  if (err instanceof Error) return new ClusterReadError(err.message, '(no request made)', undefined, err);
  return err;
}

function mask<K extends ReadKind>(kind: K, o: KubeObject<K>): KubeObject<K> {
  return kind === 'secret' ? (stripSecretData(o as unknown as Record<string, unknown>) as unknown as KubeObject<K>) : o;
}

export class KubeClusterReader implements ClusterReader {
  readonly defaultCluster: string;

  constructor(private readonly deps: KubeDeps) {
    this.defaultCluster = deps.defaultCluster ?? deps.clusters.keys().next().value ?? '';
  }

  private clients(cluster: string) {
    try {
      // With one cluster configured, a cluster label naming another (Prometheus' external label, say) means that
      // one; with several, an unknown name stays an error rather than a diagnosis of the wrong cluster.
      const known = this.deps.clusters.has(cluster) || this.deps.clusters.size > 1;
      return pick(this.deps, cluster && known ? cluster : undefined);
    } catch (err) {
      throw toReadError(err);
    }
  }

  async list<K extends ReadKind>(cluster: string, kind: K, namespace?: string): Promise<KubeObject<K>[]> {
    const c = this.clients(cluster);
    const ops = KIND_OPS[kind];
    const ns = ops.namespaced ? namespace : undefined;
    try {
      const res = await kube(c.name, requestPath(kind, ns), () => ops.list(c, ns, {}));
      return (res.items as ClusterObjects[K][]).map((o) => mask(kind, o));
    } catch (err) {
      throw toReadError(err);
    }
  }

  async get<K extends ReadKind>(
    cluster: string,
    kind: K,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject<K> | undefined> {
    const c = this.clients(cluster);
    const ops = KIND_OPS[kind];
    try {
      const o = await kube(c.name, requestPath(kind, namespace, name), () => ops.get(c, name, namespace ?? ''));
      return mask(kind, o as KubeObject<K>);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toReadError(err);
    }
  }

  events(cluster: string, namespace?: string) {
    return this.list(cluster, 'event', namespace);
  }

  async logs(cluster: string, namespace: string, pod: string, req: LogRequest): Promise<string[]> {
    const c = this.clients(cluster);
    const q = `container=${req.container}&tailLines=${req.tail}${req.previous ? '&previous=true' : ''}`;
    try {
      const text = await kube(c.name, `GET /api/v1/namespaces/${namespace}/pods/${pod}/log?${q}`, () =>
        c.core.readNamespacedPodLog({
          name: pod,
          namespace,
          container: req.container,
          tailLines: req.tail,
          previous: req.previous ?? false,
          limitBytes: 256 * 1024,
        }),
      );
      const lines = String(text ?? '').split('\n');
      if (lines.at(-1) === '') lines.pop();
      return lines;
    } catch (err) {
      // No such container instance yet (never started, or no previous one): an empty log, not a failure.
      if (err instanceof UpstreamError && (err.upstream.status === 400 || err.upstream.status === 404)) return [];
      throw toReadError(err);
    }
  }

  async rolloutHistory(cluster: string, namespace: string, deployment: string): Promise<RolloutRevision[]> {
    const d = await this.get(cluster, 'deployment', namespace, deployment);
    if (!d) return [];
    const uid = d.metadata?.uid;
    const sets = await this.list(cluster, 'replicaset', namespace);
    return sets
      .filter((rs) =>
        (rs.metadata?.ownerReferences ?? []).some(
          (o) => o.kind === 'Deployment' && (o.uid === uid || o.name === deployment),
        ),
      )
      .map((rs) => {
        const created = rs.metadata?.creationTimestamp as Date | string | undefined;
        return {
          revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0),
          replicaSet: rs.metadata?.name ?? '',
          createdAt: created === undefined ? undefined : new Date(created).toISOString(),
          changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE],
          template: rs.spec?.template,
        };
      })
      .sort((a, b) => a.revision - b.revision);
  }
}
