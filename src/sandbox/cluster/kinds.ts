/** Every resource the simulated apiserver serves: one row drives the store, routing and discovery. */
export interface ResourceKind {
  kind: string;
  /** Lower-case plural, the URL segment. */
  resource: string;
  singular: string;
  /** '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served under `<resource>/<sub>`. */
  subresources: string[];
  /**
   * Set for read-only views of objects stored under another kind: events.k8s.io/v1 Events of core Events,
   * discovery.k8s.io/v1 EndpointSlices of core Endpoints.
   */
  storageKind?: string;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const RO = ['get', 'list', 'watch'];

function kind(
  k: string,
  resource: string,
  group: string,
  version: string,
  namespaced: boolean,
  shortNames: string[] = [],
  extra: Partial<ResourceKind> = {},
): ResourceKind {
  return {
    kind: k,
    resource,
    singular: k.toLowerCase(),
    group,
    version,
    namespaced,
    shortNames,
    categories: [],
    verbs: RW,
    subresources: [],
    ...extra,
  };
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  kind('Namespace', 'namespaces', '', 'v1', false, ['ns'], {
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
  }),
  kind('Node', 'nodes', '', 'v1', false, ['no'], { subresources: ['status'] }),
  kind('Pod', 'pods', '', 'v1', true, ['po'], { categories: ['all'], subresources: ['log', 'status', 'eviction'] }),
  kind('Service', 'services', '', 'v1', true, ['svc'], { categories: ['all'], subresources: ['status'] }),
  kind('Endpoints', 'endpoints', '', 'v1', true, ['ep'], { singular: 'endpoints' }),
  kind('Event', 'events', '', 'v1', true, ['ev']),
  kind('ConfigMap', 'configmaps', '', 'v1', true, ['cm']),
  kind('Secret', 'secrets', '', 'v1', true),
  kind('PersistentVolumeClaim', 'persistentvolumeclaims', '', 'v1', true, ['pvc'], { subresources: ['status'] }),
  kind('Deployment', 'deployments', 'apps', 'v1', true, ['deploy'], {
    categories: ['all'],
    subresources: ['scale', 'status'],
  }),
  kind('ReplicaSet', 'replicasets', 'apps', 'v1', true, ['rs'], {
    categories: ['all'],
    subresources: ['scale', 'status'],
  }),
  kind('StatefulSet', 'statefulsets', 'apps', 'v1', true, ['sts'], {
    categories: ['all'],
    subresources: ['scale', 'status'],
  }),
  kind('DaemonSet', 'daemonsets', 'apps', 'v1', true, ['ds'], { categories: ['all'], subresources: ['status'] }),
  kind('Job', 'jobs', 'batch', 'v1', true, [], { categories: ['all'], subresources: ['status'] }),
  kind('CronJob', 'cronjobs', 'batch', 'v1', true, ['cj'], { categories: ['all'], subresources: ['status'] }),
  kind('Ingress', 'ingresses', 'networking.k8s.io', 'v1', true, ['ing'], { subresources: ['status'] }),
  kind('ControllerRevision', 'controllerrevisions', 'apps', 'v1', true),
  kind('HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'autoscaling', 'v2', true, ['hpa'], {
    categories: ['all'],
    subresources: ['status'],
  }),
  kind('StorageClass', 'storageclasses', 'storage.k8s.io', 'v1', false, ['sc']),
  kind('Event', 'events', 'events.k8s.io', 'v1', true, ['ev'], { storageKind: 'Event', verbs: RO }),
  kind('EndpointSlice', 'endpointslices', 'discovery.k8s.io', 'v1', true, [], { storageKind: 'Endpoints', verbs: RO }),
  kind('Lease', 'leases', 'coordination.k8s.io', 'v1', true),
  // What the product's own manifests (deploy/) contain, so `kubectl apply --dry-run=server` can check them here.
  kind('ServiceAccount', 'serviceaccounts', '', 'v1', true, ['sa']),
  kind('ClusterRole', 'clusterroles', 'rbac.authorization.k8s.io', 'v1', false),
  kind('ClusterRoleBinding', 'clusterrolebindings', 'rbac.authorization.k8s.io', 'v1', false),
  kind('Role', 'roles', 'rbac.authorization.k8s.io', 'v1', true),
  kind('RoleBinding', 'rolebindings', 'rbac.authorization.k8s.io', 'v1', true),
  kind('NetworkPolicy', 'networkpolicies', 'networking.k8s.io', 'v1', true, ['netpol']),
  kind('PodDisruptionBudget', 'poddisruptionbudgets', 'policy', 'v1', true, ['pdb'], { subresources: ['status'] }),
  kind('ServiceMonitor', 'servicemonitors', 'monitoring.coreos.com', 'v1', true, ['smon']),
  kind('PrometheusRule', 'prometheusrules', 'monitoring.coreos.com', 'v1', true, ['promrule']),
];

/** The core/apps/… row for a kind (the primary one when a kind is served twice). */
export function kindInfo(k: string): ResourceKind | undefined {
  return RESOURCE_KINDS.find((r) => r.kind === k && r.storageKind === undefined);
}

export function apiVersionOf(r: ResourceKind): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Finds the served resource at `/api[s]/<group>/<version>/<resource>`. */
export function findResource(group: string, version: string, resource: string): ResourceKind | undefined {
  return RESOURCE_KINDS.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function resourceRef(k: string): { resource: string; group: string; kind: string } {
  const info = kindInfo(k);
  return info
    ? { resource: info.resource, group: info.group, kind: info.kind }
    : { resource: `${k.toLowerCase()}s`, group: '', kind: k };
}
