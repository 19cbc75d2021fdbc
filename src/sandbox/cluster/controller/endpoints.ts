import { as, canonical, matchesMap, obj, type Pod } from '../objects.js';
import type { K8sObject } from '../store.js';
import type { WorldContext } from '../world-context.js';
import { isActive, isReady } from './replicaset.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

function targetPort(pod: Pod, sp: ServicePort): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec.containers) {
    const p = c.ports?.find((x) => x.name === t);
    if (p) return p.containerPort;
  }
  return undefined;
}

function address(p: Pod) {
  return {
    ip: p.status.podIP,
    nodeName: p.spec.nodeName,
    targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
  };
}

/** The endpoints controller: a Service's selector picks pods; ready ones serve, the rest are notReadyAddresses. */
export class EndpointsController {
  constructor(private readonly ctx: WorldContext) {}

  sync(): void {
    const ctx = this.ctx;
    const services = ctx.list('Service');
    const names = new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
    for (const svc of services)
      this.ctx.guard(`endpoints ${svc.metadata.namespace}/${svc.metadata.name}`, () => {
        const selector = (svc.spec?.selector ?? {}) as Record<string, string>;
        if (Object.keys(selector).length === 0) return;
        const pods = ctx
          .list('Pod', svc.metadata.namespace)
          .map((p) => as<Pod>(p))
          .filter((p) => isActive(p) && p.status?.podIP && matchesMap(p.metadata.labels, selector))
          .sort((a, b) => (a.status.podIP ?? '').localeCompare(b.status.podIP ?? ''));
        this.write(svc, pods);
      });
    for (const ep of ctx.list('Endpoints'))
      if (ep.metadata.annotations?.[TRIGGER] && !names.has(`${ep.metadata.namespace}/${ep.metadata.name}`))
        ctx.store.delete('Endpoints', ep.metadata.namespace, ep.metadata.name);
  }

  private write(svc: K8sObject, pods: Pod[]): void {
    const ctx = this.ctx;
    const ports = ((svc.spec?.ports ?? []) as ServicePort[]).map((sp) => ({
      ...(sp.name ? { name: sp.name } : {}),
      port: (pods[0] && targetPort(pods[0], sp)) ?? (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port),
      protocol: sp.protocol ?? 'TCP',
    }));
    const ready = pods.filter(isReady).map(address);
    const notReady = pods.filter((p) => !isReady(p)).map(address);
    const subsets =
      pods.length === 0
        ? undefined
        : [
            {
              ...(ready.length > 0 ? { addresses: ready } : {}),
              ...(notReady.length > 0 ? { notReadyAddresses: notReady } : {}),
              ports,
            },
          ];
    const ns = svc.metadata.namespace;
    const name = svc.metadata.name;
    const cur = ctx.store.get('Endpoints', ns, name);
    if (!cur) {
      ctx.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace: ns, labels: { ...svc.metadata.labels }, annotations: { [TRIGGER]: ctx.ts() } },
          ...(subsets ? { subsets } : {}),
        }),
      );
      return;
    }
    if (canonical(cur.subsets) === canonical(subsets)) return;
    const next: K8sObject = {
      ...cur,
      metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [TRIGGER]: ctx.ts() } },
    };
    delete next.metadata.resourceVersion;
    if (subsets) next.subsets = subsets;
    else delete next.subsets;
    ctx.store.update(next);
  }
}
