/**
 * The deploy/ manifests, checked without a real cluster: each overlay renders with `kubectl kustomize`, every
 * built-in object matches the Kubernetes API schema (client-node's generated models), the whole render is
 * accepted by `kubectl apply --dry-run=server` against the cluster simulator (strict field validation, and
 * nothing is created), and the settings that keep the bot safe hold: one replica, Recreate, SQLite on the
 * volume, a read-only root filesystem, non-root, probes on /healthz and /readyz, a config file the bot accepts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type ClusterSimulator, startClusterSimulator } from '../../src/sandbox/cluster/index.js';
import { writeKubeconfig } from '../../src/sandbox/cluster/kubeconfig.js';
import { DEPLOY, KUBECTL, kustomize, kustomizeWith, type Manifest, OVERLAYS } from '../helpers/deploy-render.js';
import { validateObject } from '../helpers/k8s-schema.js';

const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, [] as Manifest[]])) as Record<
  (typeof OVERLAYS)[number],
  Manifest[]
>;
const find = (objects: Manifest[], kind: string, name?: string) => {
  const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''} in the render`);
  return o;
};

describe.skipIf(!KUBECTL)('deploy/ manifests', () => {
  beforeAll(() => {
    for (const o of OVERLAYS) rendered[o] = kustomize(join(DEPLOY, 'overlays', o));
  });

  describe('schema', () => {
    it('every built-in object in every overlay and component matches the Kubernetes API schema', () => {
      const all = [
        ...rendered.webhook,
        ...rendered['long-connection'],
        ...kustomizeWith('webhook', ['read-secrets', 'namespaced-writes']),
      ];
      const problems = all.flatMap((o) => {
        const r = validateObject(o);
        return r.checked ? r.problems.map((p) => `${o.kind}/${o.metadata.name}: ${p}`) : [];
      });
      expect(problems).toEqual([]);
      const unchecked = [...new Set(all.filter((o) => !validateObject(o).checked).map((o) => o.kind))].sort();
      expect(unchecked).toEqual(['PrometheusRule', 'ServiceMonitor']); // custom resources: the server dry run checks them
    });

    it('reports a misspelt field, a wrong type and a missing required field (the check can fail)', () => {
      const deployment = structuredClone(find(rendered.webhook, 'Deployment'));
      const container = deployment.spec.template.spec.containers[0];
      container.readinesProbe = container.readinessProbe;
      deployment.spec.replicas = '1';
      delete container.name;
      const r = validateObject(deployment);
      expect(r.checked && r.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('spec.template.spec.containers[0].readinesProbe: unknown field'),
          'spec.replicas: expected number, got string',
          'spec.template.spec.containers[0].name: required',
        ]),
      );
    });
  });

  describe('server dry run against the cluster simulator', () => {
    let sim: ClusterSimulator;
    let dir: string;
    let env: NodeJS.ProcessEnv;
    /** kubectl as a child process, asynchronously: the simulator answering it runs in this process. */
    const apply = (objects: Manifest[], name: string) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, objects.map((o) => yaml.dump(o)).join('---\n'));
      return new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
        execFile(KUBECTL as string, ['apply', '--dry-run=server', '-f', file], { env }, (err, stdout, stderr) =>
          done({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    };
    beforeAll(async () => {
      sim = await startClusterSimulator();
      // The namespace exists first (a dry run creates nothing for the objects in it to land in).
      for (const name of ['sre-nanobot', 'shop', 'payments'])
        sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-dry-run-'));
      writeKubeconfig(join(dir, 'kubeconfig'), sim.url);
      env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'kubeconfig') };
    });
    afterAll(async () => {
      await sim?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const overlay of OVERLAYS) {
      it(`accepts every object of the ${overlay} overlay and creates none`, async () => {
        const objects = [
          ...rendered[overlay],
          ...kustomizeWith(overlay, ['namespaced-writes', 'read-secrets']).filter(
            (o) => o.kind === 'RoleBinding' || o.metadata.name.endsWith('read-secrets'),
          ),
        ];
        const r = await apply(objects, overlay);
        // (kubectl warns that the namespace, made beforehand, was not made by `kubectl apply`)
        expect(r.stderr).not.toMatch(/error/i);
        expect(r.status).toBe(0);
        const lines = r.stdout.trim().split('\n');
        expect(lines).toHaveLength(objects.length);
        for (const line of lines) expect(line).toMatch(/ (created|configured) \(server dry run\)$/);
        expect(sim.store.list('Deployment', 'sre-nanobot')).toEqual([]);
      });
    }

    it('refuses a manifest with a field its kind does not have', async () => {
      const deployment = structuredClone(find(rendered.webhook, 'Deployment'));
      deployment.spec.template.spec.containers[0].readinesProbe = { httpGet: { path: '/readyz', port: 'http' } };
      const r = await apply([deployment], 'broken');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('unknown field "spec.template.spec.containers[0].readinesProbe"');
    });
  });

  describe('what keeps the bot safe', () => {
    for (const overlay of OVERLAYS) {
      it(`${overlay}: one replica, Recreate, SQLite on the volume, non-root, read-only root, probes`, () => {
        const objects = rendered[overlay];
        const d = find(objects, 'Deployment', 'sre-nanobot');
        expect(d.spec.replicas).toBe(1);
        expect(d.spec.strategy).toEqual({ type: 'Recreate' });
        const pod = d.spec.template.spec;
        const c = pod.containers[0];
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(c.livenessProbe.httpGet.path).toBe('/healthz');
        expect(c.readinessProbe.httpGet.path).toBe('/readyz');
        expect(c.resources.limits.memory).toBeDefined();

        const env = find(objects, 'ConfigMap', 'sre-nanobot-env').data as Record<string, string>;
        const dataMount = c.volumeMounts.find((m: { name: string }) => m.name === 'data');
        expect(dirname(env.DATABASE_PATH as string)).toBe(dataMount.mountPath);
        const volume = pod.volumes.find((v: { name: string }) => v.name === 'data');
        expect(find(objects, 'PersistentVolumeClaim', volume.persistentVolumeClaim.claimName).spec.accessModes).toEqual(
          ['ReadWriteOnce'],
        );
        expect(env.FEISHU_EVENT_MODE).toBe(overlay === 'webhook' ? 'webhook' : 'websocket');
        expect(objects.some((o) => o.kind === 'Ingress')).toBe(overlay === 'webhook');
      });
    }

    it('exposes only the Feishu callback routes through the Ingress', () => {
      const ingress = find(rendered.webhook, 'Ingress');
      const paths = ingress.spec.rules.flatMap((r: { http: { paths: { path: string }[] } }) =>
        r.http.paths.map((p) => p.path),
      );
      expect(paths.sort()).toEqual(['/feishu/card', '/feishu/events']);
    });

    it('ships a configuration file and environment the bot accepts, with the cluster from the service account', () => {
      const objects = rendered.webhook;
      const file = find(objects, 'ConfigMap', 'sre-nanobot-config').data['sre-nanobot.yaml'] as string;
      const env = {
        ...(find(objects, 'ConfigMap', 'sre-nanobot-env').data as Record<string, string>),
        ...(find(objects, 'Secret', 'sre-nanobot').stringData as Record<string, string>),
      };
      const result = loadConfig(env, { readFile: () => file });
      if (!result.ok) throw new Error(result.problems.join('\n'));
      expect(result.config.mode).toBe('tenant');
      expect(result.config.file.clusters).toEqual([expect.objectContaining({ in_cluster: true })]);
    });
  });
});
