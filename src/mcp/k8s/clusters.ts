/**
 * Cluster connections for the Kubernetes tools. Credentials and API server come only from configuration
 * (kubeconfig contexts or in-cluster service account); no tool argument can change them — a tool names a
 * configured cluster at most.
 */
import { existsSync } from 'node:fs';
import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  createConfiguration,
  KubeConfig,
  NetworkingV1Api,
  type RequestContext,
  ServerConfiguration,
  StorageV1Api,
} from '@kubernetes/client-node';
import { callSignal } from '../call-signal.js';
import { NotConfiguredError } from '../tool.js';

export interface KubeClients {
  name: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  autoscaling: AutoscalingV2Api;
  storage: StorageV1Api;
  custom: CustomObjectsApi;
}

export interface KubeDeps {
  clusters: ReadonlyMap<string, KubeClients>;
  defaultCluster: string | undefined;
  now: () => number;
}

export interface ClusterSpec {
  name: string;
  context?: string | undefined;
  kubeconfig?: string | undefined;
  in_cluster?: boolean | undefined;
  service_account_root?: string | undefined;
}

/**
 * API clients for one cluster. Like `kc.makeApiClient`, plus: every request carries the abort signal of the
 * tool call it is made for (`call-signal.ts`), so a call's deadline cancels its requests on the wire. The hook
 * is the authentication step, which runs for every request whatever per-request options a tool passes.
 */
export function clientsFor(kc: KubeConfig, name: string): KubeClients {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('no current cluster in the kubeconfig');
  const config = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: {
      default: {
        getName: () => 'kubeconfig',
        async applySecurityAuthentication(context: RequestContext) {
          await kc.applySecurityAuthentication(context);
          const signal = callSignal();
          if (signal) context.setSignal(signal);
        },
      },
    },
  });
  return {
    name,
    kc,
    core: new CoreV1Api(config),
    apps: new AppsV1Api(config),
    batch: new BatchV1Api(config),
    networking: new NetworkingV1Api(config),
    autoscaling: new AutoscalingV2Api(config),
    storage: new StorageV1Api(config),
    custom: new CustomObjectsApi(config),
  };
}

/** Where Kubernetes mounts a pod's service account (token, ca.crt, namespace). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The pod's service account and the API server from KUBERNETES_SERVICE_HOST/PORT, which must be set. `root`
 * is prepended to the mount path (client-node's `pathPrefix`) when the files are mounted elsewhere.
 */
function loadInCluster(kc: KubeConfig, root = ''): void {
  const token = `${root}${SERVICE_ACCOUNT_TOKEN}`;
  if (!existsSync(token)) throw new Error(`in-cluster: no service account token at ${token}`);
  kc.loadFromCluster(root);
  const server = kc.getCurrentCluster()?.server ?? '';
  if (/\/\/(undefined)?:/.test(server) || server.endsWith(':undefined')) {
    throw new Error('in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (not in a pod?)');
  }
}

/**
 * Builds the cluster map: each configured cluster, or — when none is configured — one cluster named
 * `default` from the kubeconfig file (KUBECONFIG) if there is one, else from the pod's service account when
 * running in a pod (the token file mounted and KUBERNETES_SERVICE_HOST set, as Kubernetes does).
 */
export function loadClusters(
  specs: readonly ClusterSpec[],
  kubeconfig: string | undefined,
): { clusters: Map<string, KubeClients>; problems: string[] } {
  const clusters = new Map<string, KubeClients>();
  const problems: string[] = [];
  const load = (name: string, fill: (kc: KubeConfig) => void) => {
    try {
      const kc = new KubeConfig();
      fill(kc);
      if (!kc.getCurrentCluster()) throw new Error('no current cluster in the kubeconfig');
      clusters.set(name, clientsFor(kc, name));
    } catch (err) {
      problems.push(`cluster ${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  for (const spec of specs) {
    load(spec.name, (kc) => {
      const file = spec.kubeconfig ?? kubeconfig;
      if (spec.in_cluster) loadInCluster(kc, spec.service_account_root?.replace(/\/+$/, ''));
      else if (file) kc.loadFromFile(file);
      else kc.loadFromDefault();
      if (spec.context) {
        if (!kc.getContextObject(spec.context)) throw new Error(`context ${spec.context} not found`);
        kc.setCurrentContext(spec.context);
      }
    });
  }
  if (specs.length === 0 && kubeconfig) load('default', (kc) => kc.loadFromFile(kubeconfig));
  else if (specs.length === 0 && existsSync(SERVICE_ACCOUNT_TOKEN)) load('default', (kc) => loadInCluster(kc));
  return { clusters, problems };
}

export function pick(deps: KubeDeps, cluster: string | undefined): KubeClients {
  const name = cluster ?? deps.defaultCluster ?? deps.clusters.keys().next().value;
  const clients = name === undefined ? undefined : deps.clusters.get(name);
  if (!clients) {
    const known = [...deps.clusters.keys()];
    if (known.length === 0) {
      throw new NotConfiguredError(
        'no Kubernetes cluster is configured: set KUBECONFIG or clusters in the configuration',
      );
    }
    throw new Error(`unknown cluster ${cluster}; configured clusters: ${known.join(', ')}`);
  }
  return clients;
}
