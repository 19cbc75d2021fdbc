import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as yaml from 'js-yaml';

/** A kubeconfig for the simulator that kubectl and @kubernetes/client-node both accept. */
export function kubeconfigYaml(url: string, name = 'sre-nanobot-sandbox'): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: `${name}-admin`, user: { token: 'sandbox-token' } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export function writeKubeconfig(path: string, url: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(url), { mode: 0o600 });
}
