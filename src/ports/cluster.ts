/**
 * The cluster-read port: what the diagnosis engine (and anything else that only looks) may ask of a cluster.
 * The Kubernetes tool layer implements it (`mcp/k8s/reader.ts`), so cluster selection, timeouts and redaction
 * are shared. Objects are client-node's typed models; Secrets come back with their values masked (keys only).
 * A failed request throws `ClusterReadError` carrying the request made and the API's status.
 */
import type {
  CoreV1Event,
  V1ConfigMap,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Endpoints,
  V1Ingress,
  V1Job,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1Secret,
  V1Service,
  V1StatefulSet,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { CodedError } from '../shared/errors.js';

/** The kinds a reader lists and gets, with the object type each returns. */
export interface ClusterObjects {
  pod: V1Pod;
  deployment: V1Deployment;
  statefulset: V1StatefulSet;
  daemonset: V1DaemonSet;
  replicaset: V1ReplicaSet;
  service: V1Service;
  endpoints: V1Endpoints;
  ingress: V1Ingress;
  node: V1Node;
  namespace: V1Namespace;
  configmap: V1ConfigMap;
  secret: V1Secret;
  persistentvolumeclaim: V1PersistentVolumeClaim;
  storageclass: V1StorageClass;
  horizontalpodautoscaler: V2HorizontalPodAutoscaler;
  job: V1Job;
  cronjob: V1CronJob;
  event: CoreV1Event;
  poddisruptionbudget: V1PodDisruptionBudget;
  networkpolicy: V1NetworkPolicy;
}
export type ReadKind = keyof ClusterObjects;
export type KubeObject<K extends ReadKind> = ClusterObjects[K];

export const CLUSTER_SCOPED: ReadonlySet<ReadKind> = new Set(['node', 'namespace', 'storageclass']);

/** One revision of a deployment, from the ReplicaSet that carries it. */
export interface RolloutRevision {
  revision: number;
  replicaSet: string;
  createdAt: string | undefined;
  changeCause: string | undefined;
  template: V1PodTemplateSpec | undefined;
}

export interface LogRequest {
  container: string;
  /** Lines from the end. */
  tail: number;
  /** The previous (crashed) instance of the container. */
  previous?: boolean;
}

export interface ClusterReader {
  /** The cluster a request goes to when none is named ('' = the default one). */
  readonly defaultCluster: string;
  /** Every object of a kind, in a namespace or (namespace undefined, or a cluster-scoped kind) everywhere. */
  list<K extends ReadKind>(cluster: string, kind: K, namespace?: string): Promise<KubeObject<K>[]>;
  /** One object, or undefined when the API answers 404. */
  get<K extends ReadKind>(
    cluster: string,
    kind: K,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject<K> | undefined>;
  /** Events in a namespace (everywhere when undefined). */
  events(cluster: string, namespace?: string): Promise<CoreV1Event[]>;
  /** Log lines of a container; [] when the container has no log (never started, or no previous instance). */
  logs(cluster: string, namespace: string, pod: string, req: LogRequest): Promise<string[]>;
  /** A deployment's revisions, oldest first. */
  rolloutHistory(cluster: string, namespace: string, deployment: string): Promise<RolloutRevision[]>;
}

/** A cluster read that failed: the request (`GET /api/v1/namespaces/shop/pods (cluster prod)`) and status. */
export class ClusterReadError extends CodedError {
  readonly request: string;
  readonly status: number | undefined;

  constructor(message: string, request: string, status: number | undefined, cause?: unknown) {
    super(status === 404 ? 'not_found' : 'upstream_error', message, {
      cause,
      detail: { request, ...(status !== undefined ? { status } : {}) },
    });
    this.name = 'ClusterReadError';
    this.request = request;
    this.status = status;
  }
}

const KIND_ALIASES: Record<string, ReadKind> = {
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
  pdb: 'poddisruptionbudget',
  poddisruptionbudgets: 'poddisruptionbudget',
  netpol: 'networkpolicy',
  networkpolicies: 'networkpolicy',
};

/** A kind as kubectl accepts it (`deploy`, `sts`, `po`, `svc`, plurals, any case), or undefined. */
export function parseReadKind(input: string): ReadKind | undefined {
  const k = input
    .toLowerCase()
    .trim()
    .replace(/\.(apps|batch|policy|networking\.k8s\.io|v1)$/, '');
  const known: readonly string[] = [
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
  ] satisfies ReadKind[];
  if (known.includes(k)) return k as ReadKind;
  return KIND_ALIASES[k];
}
