import type { Clock } from '../../ports/clock.js';
import { writeKubeconfig } from './kubeconfig.js';
import { type ClusterApiServer, startClusterApiServer } from './server.js';
import { ClusterStore } from './store.js';

export interface ClusterSimulator {
  store: ClusterStore;
  /** The API server's base URL (plain HTTP on loopback). */
  url: string;
  /** Where the kubeconfig was written, when asked to write one. */
  kubeconfigPath: string | undefined;
  close(): Promise<void>;
}

export interface ClusterSimulatorOptions {
  port?: number;
  /** Writes a kubeconfig there for kubectl and @kubernetes/client-node (e.g. data/sandbox/kubeconfig). */
  kubeconfigPath?: string;
  clock?: Clock;
}

/** Starts the simulated cluster: the object store and the Kubernetes API server in front of it. */
export async function startClusterSimulator(opts: ClusterSimulatorOptions = {}): Promise<ClusterSimulator> {
  const store = new ClusterStore(opts.clock ? { clock: opts.clock } : {});
  const server: ClusterApiServer = await startClusterApiServer({ store, ...(opts.port ? { port: opts.port } : {}) });
  if (opts.kubeconfigPath) writeKubeconfig(opts.kubeconfigPath, server.url);
  return {
    store,
    url: server.url,
    kubeconfigPath: opts.kubeconfigPath,
    close: () => server.close(),
  };
}

export type { K8sObject, WatchEvent, WatchEventType } from './store.js';
export { ClusterStore } from './store.js';
