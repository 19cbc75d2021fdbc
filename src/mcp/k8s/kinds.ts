/** The common kinds the read tools can list and get, each with its typed client-node calls. */
import type { KubeClients } from './clusters.js';

export const KINDS = [
  'pod',
  'deployment',
  'statefulset',
  'daemonset',
  'replicaset',
  'service',
  'endpoints',
  'ingress',
  'node',
  'namespace',
  'configmap',
  'secret',
  'persistentvolumeclaim',
  'storageclass',
  'horizontalpodautoscaler',
  'job',
  'cronjob',
  'event',
  'poddisruptionbudget',
  'networkpolicy',
] as const;
export type Kind = (typeof KINDS)[number];

export interface ListOpts {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
}

interface KindOps {
  namespaced: boolean;
  /** API path prefix for the request description, e.g. `/apis/apps/v1` + `deployments`. */
  path: string;
  list(c: KubeClients, ns: string | undefined, o: ListOpts): Promise<{ items: unknown[] }>;
  get(c: KubeClients, name: string, ns: string): Promise<unknown>;
}

const ns = (n: string | undefined) => n as string;

export const KIND_OPS: Record<Kind, KindOps> = {
  pod: {
    namespaced: true,
    path: '/api/v1 pods',
    list: (c, n, o) => (n ? c.core.listNamespacedPod({ namespace: n, ...o }) : c.core.listPodForAllNamespaces(o)),
    get: (c, name, n) => c.core.readNamespacedPod({ name, namespace: n }),
  },
  deployment: {
    namespaced: true,
    path: '/apis/apps/v1 deployments',
    list: (c, n, o) =>
      n ? c.apps.listNamespacedDeployment({ namespace: n, ...o }) : c.apps.listDeploymentForAllNamespaces(o),
    get: (c, name, n) => c.apps.readNamespacedDeployment({ name, namespace: n }),
  },
  statefulset: {
    namespaced: true,
    path: '/apis/apps/v1 statefulsets',
    list: (c, n, o) =>
      n ? c.apps.listNamespacedStatefulSet({ namespace: n, ...o }) : c.apps.listStatefulSetForAllNamespaces(o),
    get: (c, name, n) => c.apps.readNamespacedStatefulSet({ name, namespace: n }),
  },
  daemonset: {
    namespaced: true,
    path: '/apis/apps/v1 daemonsets',
    list: (c, n, o) =>
      n ? c.apps.listNamespacedDaemonSet({ namespace: n, ...o }) : c.apps.listDaemonSetForAllNamespaces(o),
    get: (c, name, n) => c.apps.readNamespacedDaemonSet({ name, namespace: n }),
  },
  replicaset: {
    namespaced: true,
    path: '/apis/apps/v1 replicasets',
    list: (c, n, o) =>
      n ? c.apps.listNamespacedReplicaSet({ namespace: n, ...o }) : c.apps.listReplicaSetForAllNamespaces(o),
    get: (c, name, n) => c.apps.readNamespacedReplicaSet({ name, namespace: n }),
  },
  service: {
    namespaced: true,
    path: '/api/v1 services',
    list: (c, n, o) =>
      n ? c.core.listNamespacedService({ namespace: n, ...o }) : c.core.listServiceForAllNamespaces(o),
    get: (c, name, n) => c.core.readNamespacedService({ name, namespace: n }),
  },
  endpoints: {
    namespaced: true,
    path: '/api/v1 endpoints',
    list: (c, n, o) =>
      n ? c.core.listNamespacedEndpoints({ namespace: n, ...o }) : c.core.listEndpointsForAllNamespaces(o),
    get: (c, name, n) => c.core.readNamespacedEndpoints({ name, namespace: n }),
  },
  ingress: {
    namespaced: true,
    path: '/apis/networking.k8s.io/v1 ingresses',
    list: (c, n, o) =>
      n ? c.networking.listNamespacedIngress({ namespace: n, ...o }) : c.networking.listIngressForAllNamespaces(o),
    get: (c, name, n) => c.networking.readNamespacedIngress({ name, namespace: n }),
  },
  node: {
    namespaced: false,
    path: '/api/v1 nodes',
    list: (c, _n, o) => c.core.listNode(o),
    get: (c, name) => c.core.readNode({ name }),
  },
  namespace: {
    namespaced: false,
    path: '/api/v1 namespaces',
    list: (c, _n, o) => c.core.listNamespace(o),
    get: (c, name) => c.core.readNamespace({ name }),
  },
  configmap: {
    namespaced: true,
    path: '/api/v1 configmaps',
    list: (c, n, o) =>
      n ? c.core.listNamespacedConfigMap({ namespace: n, ...o }) : c.core.listConfigMapForAllNamespaces(o),
    get: (c, name, n) => c.core.readNamespacedConfigMap({ name, namespace: n }),
  },
  secret: {
    namespaced: true,
    path: '/api/v1 secrets',
    list: (c, n, o) => (n ? c.core.listNamespacedSecret({ namespace: n, ...o }) : c.core.listSecretForAllNamespaces(o)),
    get: (c, name, n) => c.core.readNamespacedSecret({ name, namespace: n }),
  },
  persistentvolumeclaim: {
    namespaced: true,
    path: '/api/v1 persistentvolumeclaims',
    list: (c, n, o) =>
      n
        ? c.core.listNamespacedPersistentVolumeClaim({ namespace: n, ...o })
        : c.core.listPersistentVolumeClaimForAllNamespaces(o),
    get: (c, name, n) => c.core.readNamespacedPersistentVolumeClaim({ name, namespace: n }),
  },
  storageclass: {
    namespaced: false,
    path: '/apis/storage.k8s.io/v1 storageclasses',
    list: (c, _n, o) => c.storage.listStorageClass(o),
    get: (c, name) => c.storage.readStorageClass({ name }),
  },
  horizontalpodautoscaler: {
    namespaced: true,
    path: '/apis/autoscaling/v2 horizontalpodautoscalers',
    list: (c, n, o) =>
      n
        ? c.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: n, ...o })
        : c.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(o),
    get: (c, name, n) => c.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace: n }),
  },
  job: {
    namespaced: true,
    path: '/apis/batch/v1 jobs',
    list: (c, n, o) => (n ? c.batch.listNamespacedJob({ namespace: n, ...o }) : c.batch.listJobForAllNamespaces(o)),
    get: (c, name, n) => c.batch.readNamespacedJob({ name, namespace: n }),
  },
  cronjob: {
    namespaced: true,
    path: '/apis/batch/v1 cronjobs',
    list: (c, n, o) =>
      n ? c.batch.listNamespacedCronJob({ namespace: n, ...o }) : c.batch.listCronJobForAllNamespaces(o),
    get: (c, name, n) => c.batch.readNamespacedCronJob({ name, namespace: n }),
  },
  event: {
    namespaced: true,
    path: '/api/v1 events',
    list: (c, n, o) => (n ? c.core.listNamespacedEvent({ namespace: n, ...o }) : c.core.listEventForAllNamespaces(o)),
    get: (c, name, n) => c.core.readNamespacedEvent({ name, namespace: ns(n) }),
  },
  // policy/v1 has no typed client in KubeClients; the generic API reads it (timestamps stay strings).
  poddisruptionbudget: {
    namespaced: true,
    path: '/apis/policy/v1 poddisruptionbudgets',
    list: (c, n, o) => {
      const r = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', ...o };
      return (
        n ? c.custom.listNamespacedCustomObject({ ...r, namespace: n }) : c.custom.listClusterCustomObject(r)
      ) as Promise<{ items: unknown[] }>;
    },
    get: (c, name, n) =>
      c.custom.getNamespacedCustomObject({
        group: 'policy',
        version: 'v1',
        plural: 'poddisruptionbudgets',
        namespace: n,
        name,
      }),
  },
  networkpolicy: {
    namespaced: true,
    path: '/apis/networking.k8s.io/v1 networkpolicies',
    list: (c, n, o) =>
      n
        ? c.networking.listNamespacedNetworkPolicy({ namespace: n, ...o })
        : c.networking.listNetworkPolicyForAllNamespaces(o),
    get: (c, name, n) => c.networking.readNamespacedNetworkPolicy({ name, namespace: n }),
  },
};

/** `GET /apis/apps/v1/namespaces/shop/deployments/cart` style description of a request. */
export function requestPath(kind: Kind, namespace: string | undefined, name?: string, verb = 'GET'): string {
  const [prefix, plural] = KIND_OPS[kind].path.split(' ') as [string, string];
  const nsPart = KIND_OPS[kind].namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${verb} ${prefix}${nsPart}/${plural}${name ? `/${name}` : ''}`;
}

/** Accepts common short names (deploy, po, svc, pvc, hpa, …) and plurals. */
export function normaliseKind(input: string): Kind | undefined {
  const k = input.toLowerCase().trim();
  const alias: Record<string, Kind> = {
    po: 'pod',
    pods: 'pod',
    deploy: 'deployment',
    deployments: 'deployment',
    sts: 'statefulset',
    statefulsets: 'statefulset',
    ds: 'daemonset',
    daemonsets: 'daemonset',
    rs: 'replicaset',
    replicasets: 'replicaset',
    svc: 'service',
    services: 'service',
    ep: 'endpoints',
    ing: 'ingress',
    ingresses: 'ingress',
    no: 'node',
    nodes: 'node',
    ns: 'namespace',
    namespaces: 'namespace',
    cm: 'configmap',
    configmaps: 'configmap',
    secrets: 'secret',
    pdb: 'poddisruptionbudget',
    poddisruptionbudgets: 'poddisruptionbudget',
    netpol: 'networkpolicy',
    networkpolicies: 'networkpolicy',
    pvc: 'persistentvolumeclaim',
    persistentvolumeclaims: 'persistentvolumeclaim',
    sc: 'storageclass',
    storageclasses: 'storageclass',
    hpa: 'horizontalpodautoscaler',
    horizontalpodautoscalers: 'horizontalpodautoscaler',
    jobs: 'job',
    cj: 'cronjob',
    cronjobs: 'cronjob',
    ev: 'event',
    events: 'event',
  };
  if ((KINDS as readonly string[]).includes(k)) return k as Kind;
  return alias[k];
}
