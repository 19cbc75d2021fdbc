/**
 * Every simulator scenario, diagnosed through the real cluster reader over HTTP: the expected pattern on the
 * expected resource, the cause and evidence naming what a person searches for, the rollout change where one
 * applies, the runbook — and after the usual fix, the finding is gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/diagnosis/finding.js';
import { obj } from '../../src/sandbox/cluster/objects.js';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';

interface Row {
  scenario: string;
  target?: Record<string, unknown>;
  ns: string;
  seconds?: number;
  pattern: Finding['pattern'];
  resource: string;
  /** Identifiers that must appear verbatim in the cause. */
  cause: string[];
  /** Identifiers that must appear in the evidence. */
  evidence: string[];
  /** A field of the rollout change that began the failure; null = no change may be blamed. */
  change: string | null;
  runbook: string | null;
  folds?: Finding['pattern'][];
  heal: (w: DiagnosisWorld) => void | Promise<void>;
}

const rollback = (w: DiagnosisWorld) => w.rollback('shop', 'checkout');
const nodeBack = (w: DiagnosisWorld) => {
  w.sim.world?.recover('node-notready', { node: 'node-2' });
};

const ROWS: Row[] = [
  {
    scenario: 'crashloop',
    ns: 'shop',
    pattern: 'pod.crash_loop',
    resource: 'checkout',
    cause: ['checkout', 'exits with code 1', 'CrashLoopBackOff'],
    evidence: ['CrashLoopBackOff', 'panic: runtime error', 'BackOff'],
    change: 'checkout.image',
    runbook: 'deployment-rollback',
    heal: rollback,
  },
  {
    scenario: 'crashloop',
    target: { transient: true },
    ns: 'shop',
    pattern: 'pod.crash_loop',
    resource: 'checkout',
    cause: ['exits with code 1'],
    evidence: ['database'],
    change: null,
    runbook: 'database-connection-recovery',
    folds: ['service.not_ready_endpoints', 'deployment.unavailable'],
    heal: (w) => w.restart('shop', 'checkout'),
  },
  {
    scenario: 'oomkilled',
    ns: 'shop',
    pattern: 'pod.oom_killed',
    resource: 'checkout',
    cause: ['OOMKilled', '256Mi', '137'],
    evidence: ['OOMKilled', '256Mi', 'memory usage close to limit'],
    change: 'checkout.image',
    runbook: 'raise-memory-limit',
    heal: (w) =>
      w.modify('Deployment', 'shop', 'checkout', (d) => {
        d.spec.template.spec.containers[0].resources.limits.memory = '512Mi';
      }),
  },
  {
    scenario: 'image-pull',
    ns: 'shop',
    pattern: 'pod.image_pull',
    resource: 'checkout',
    cause: ['registry.local/shop/checkout:2.3.1-rc.1', 'ImagePullBackOff', 'not found'],
    evidence: ['Failed to pull image', 'ImagePullBackOff'],
    change: 'checkout.image',
    runbook: 'deployment-rollback',
    heal: rollback,
  },
  {
    scenario: 'unschedulable',
    ns: 'shop',
    pattern: 'pod.unschedulable',
    resource: 'checkout',
    cause: ['disktype=nvme'],
    evidence: ['FailedScheduling', 'Unschedulable', 'disktype=nvme'],
    change: 'nodeSelector',
    runbook: 'deployment-rollback',
    heal: rollback,
  },
  {
    scenario: 'unschedulable',
    target: { cause: 'cpu' },
    ns: 'shop',
    pattern: 'pod.unschedulable',
    resource: 'checkout',
    cause: ['Insufficient cpu'],
    evidence: ['FailedScheduling', 'resources.requests.cpu'],
    change: 'checkout.resources',
    runbook: 'deployment-rollback',
    heal: rollback,
  },
  {
    scenario: 'missing-configmap',
    ns: 'shop',
    pattern: 'pod.missing_config_ref',
    resource: 'checkout',
    cause: ['ConfigMap', 'checkout-feature-flags'],
    evidence: ['CreateContainerConfigError'],
    change: 'checkout.envFrom',
    runbook: 'deployment-rollback',
    heal: (w) =>
      void w.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'checkout-feature-flags', namespace: 'shop' },
          data: { NEW_CHECKOUT: 'off' },
        }),
      ),
  },
  {
    scenario: 'missing-configmap',
    target: { via: 'volume' },
    ns: 'shop',
    pattern: 'pod.missing_config_ref',
    resource: 'checkout',
    cause: ['checkout-feature-flags', 'volume'],
    evidence: ['FailedMount', 'ContainerCreating'],
    change: 'volumes',
    runbook: 'deployment-rollback',
    heal: (w) =>
      void w.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'checkout-feature-flags', namespace: 'shop' },
          data: { flags: 'x' },
        }),
      ),
  },
  {
    scenario: 'missing-secret',
    ns: 'shop',
    pattern: 'pod.missing_config_ref',
    resource: 'checkout',
    cause: ['Secret', 'checkout-db-credentials'],
    evidence: ['CreateContainerConfigError', 'secret "checkout-db-credentials" not found'],
    change: 'checkout.env',
    runbook: 'deployment-rollback',
    heal: (w) =>
      void w.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'checkout-db-credentials', namespace: 'shop' },
          data: { password: Buffer.from('s3cr3t-value').toString('base64') },
        }),
      ),
  },
  {
    scenario: 'readiness-fail',
    ns: 'shop',
    pattern: 'pod.readiness_failed',
    resource: 'checkout',
    cause: ['8081', 'readiness'],
    evidence: ['Readiness probe failed', 'Unhealthy'],
    change: 'checkout.readinessProbe',
    runbook: 'deployment-rollback',
    heal: rollback,
  },
  {
    scenario: 'liveness-fail',
    ns: 'shop',
    pattern: 'pod.liveness_failed',
    resource: 'checkout',
    cause: ['8081', 'liveness'],
    evidence: ['Liveness probe failed', 'CrashLoopBackOff'],
    change: 'checkout.livenessProbe',
    runbook: 'deployment-rollback',
    heal: rollback,
  },
  {
    scenario: 'no-endpoints',
    ns: 'shop',
    pattern: 'service.no_endpoints',
    resource: 'checkout',
    cause: ['app=checkout-v2', 'app=checkout'],
    evidence: ['spec.selector', 'NoEndpoints'],
    change: null,
    runbook: 'service-endpoints-check',
    heal: (w) =>
      w.modify('Service', 'shop', 'checkout', (s) => {
        s.spec.selector = { app: 'checkout' };
      }),
  },
  {
    scenario: 'pvc-pending',
    target: { deployment: 'api' },
    ns: 'payments',
    pattern: 'pvc.pending',
    resource: 'api-data',
    cause: ['fast-ssd', 'api-data'],
    evidence: ['ProvisioningFailed', 'fast-ssd'],
    change: null,
    runbook: null,
    folds: ['pod.unschedulable'],
    heal: (w) =>
      void w.store.create(
        obj({
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: 'fast-ssd' },
          provisioner: 'rancher.io/local-path',
        }),
      ),
  },
  {
    scenario: 'node-notready',
    ns: 'shop',
    pattern: 'node.not_ready',
    resource: 'node-2',
    cause: ['node-2', 'NodeStatusUnknown'],
    evidence: ['Kubelet stopped posting node status.', 'node.kubernetes.io/unreachable'],
    change: null,
    runbook: 'node-cordon-drain',
    folds: ['deployment.unavailable'],
    heal: nodeBack,
  },
  {
    scenario: 'node-diskpressure',
    ns: 'shop',
    pattern: 'node.pressure',
    resource: 'node-2',
    cause: ['DiskPressure', 'node-2'],
    evidence: ['KubeletHasDiskPressure'],
    change: null,
    runbook: 'node-cordon-drain',
    folds: ['pod.evicted'],
    heal: (w) => {
      w.sim.world?.recover('node-diskpressure', { node: 'node-2' });
      for (const p of w.store.list('Pod'))
        if ((p.status as { reason?: string }).reason === 'Evicted')
          w.store.delete('Pod', p.metadata.namespace, p.metadata.name);
    },
  },
  {
    scenario: 'crash-killed',
    ns: 'shop',
    pattern: 'workload.inconclusive',
    resource: 'checkout',
    cause: ['Inconclusive', '137', 'no OOMKill or probe failure'],
    evidence: ['CrashLoopBackOff', '137'],
    change: 'checkout.image',
    runbook: null,
    heal: rollback,
  },
  {
    scenario: 'ingress-backend-missing',
    target: { tls: true },
    ns: 'shop',
    pattern: 'ingress.missing_backend',
    resource: 'storefront',
    cause: ['storefront', '80'],
    evidence: ['backend.service', 'storefront:80'],
    change: null,
    runbook: null,
    heal: (w) =>
      w.modify('Ingress', 'shop', 'storefront', (i) => {
        i.spec.rules[0].http.paths[0].backend.service = { name: 'frontend', port: { number: 80 } };
        delete i.spec.tls;
      }),
  },
  {
    scenario: 'hpa-missing-requests',
    ns: 'shop',
    pattern: 'hpa.missing_requests',
    resource: 'frontend',
    cause: ['cpu', 'Deployment/frontend'],
    evidence: ['resources.requests.cpu'],
    change: null,
    runbook: null,
    heal: (w) =>
      w.modify('Deployment', 'shop', 'frontend', (d) => {
        d.spec.template.spec.containers[0].resources.requests.cpu = '100m';
      }),
  },
  {
    scenario: 'hpa-maxed',
    ns: 'shop',
    seconds: 60,
    pattern: 'hpa.scaling_limited',
    resource: 'frontend',
    cause: ['maxReplicas 5', 'TooManyReplicas'],
    evidence: ['ScalingLimited', 'spec.maxReplicas'],
    change: null,
    runbook: 'hpa-raise-max',
    heal: (w) => w.rollback('shop', 'frontend'),
  },
  {
    scenario: 'statefulset-missing-service',
    ns: 'payments',
    pattern: 'statefulset.missing_service',
    resource: 'ledger',
    cause: ['ledger-headless'],
    evidence: ['spec.serviceName', 'ledger-headless'],
    change: null,
    runbook: null,
    folds: ['statefulset.unavailable'],
    heal: (w) =>
      void w.store.create(
        obj({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'ledger-headless', namespace: 'payments' },
          spec: { clusterIP: 'None', selector: { app: 'ledger' }, ports: [{ port: 5432 }] },
        }),
      ),
  },
  {
    scenario: 'job-failed',
    ns: 'payments',
    pattern: 'job.failed',
    resource: 'ledger-migrate',
    cause: ['ledger-migrate', 'backoff limit'],
    evidence: ['BackoffLimitExceeded', 'settlement_currency'],
    change: null,
    runbook: 'job-rerun',
    heal: (w) => {
      for (const p of w.store.list('Pod', 'payments', { labels: 'job-name=ledger-migrate' }))
        w.store.delete('Pod', 'payments', p.metadata.name);
      w.store.delete('Job', 'payments', 'ledger-migrate');
    },
  },
  {
    scenario: 'pdb-blocking',
    ns: 'shop',
    pattern: 'pdb.disruptions_blocked',
    resource: 'checkout',
    cause: ['disruptionsAllowed is 0', 'minAvailable 3', 'app=checkout', 'drain'],
    evidence: ['status.disruptionsAllowed', 'InsufficientPods', 'spec.minAvailable'],
    change: null,
    runbook: 'deployment-scale',
    heal: (w) =>
      w.modify('Deployment', 'shop', 'checkout', (d) => {
        d.spec.replicas = 4;
      }),
  },
  {
    scenario: 'networkpolicy-deny',
    ns: 'shop',
    pattern: 'networkpolicy.deny_ingress',
    resource: 'checkout-lockdown',
    cause: ['checkout-lockdown', 'app=checkout', 'policyTypes Ingress', 'checkout'],
    evidence: ['ingress [] (no rule)', 'spec.selector', '8080/TCP'],
    change: null,
    runbook: null,
    heal: (w) => void w.store.delete('NetworkPolicy', 'shop', 'checkout-lockdown'),
  },
  {
    scenario: 'networkpolicy-deny',
    target: { from: 'app=frontend-v2' },
    ns: 'shop',
    pattern: 'networkpolicy.no_allowed_peers',
    resource: 'checkout-lockdown',
    cause: ['app=frontend-v2', 'app=frontend', 'checkout'],
    evidence: ['from podSelector app=frontend-v2'],
    change: null,
    runbook: null,
    heal: (w) =>
      w.modify('NetworkPolicy', 'shop', 'checkout-lockdown', (np) => {
        np.spec.ingress[0].from[0].podSelector.matchLabels = { app: 'frontend' };
      }),
  },
  {
    scenario: 'configmap-changed',
    ns: 'shop',
    pattern: 'pod.missing_config_ref',
    resource: 'frontend',
    cause: ['frontend-config', 'has no key CHECKOUT_URL', 'It began after configmap frontend-config modified'],
    evidence: ['recent_change', 'kubectl-edit', 'CreateContainerConfigError'],
    change: null,
    runbook: null,
    heal: (w) =>
      w.modify('ConfigMap', 'shop', 'frontend-config', (cm) => {
        cm.data.CHECKOUT_URL = 'http://checkout.shop:8080';
      }),
  },
];

let world: DiagnosisWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('diagnosis of every simulator scenario', () => {
  it.each(
    ROWS.map((r) => [`${r.scenario}${r.target ? ` ${JSON.stringify(r.target)}` : ''} → ${r.pattern}`, r] as const),
  )('%s', async (_name, row) => {
    world = await diagnosisWorld();
    const w = world;
    w.sim.inject(row.scenario, row.target ?? {});
    await w.run(row.seconds ?? 90);
    const d = await w.diagnose(row.ns);
    const top = d.findings[0];
    expect(top, JSON.stringify(d.findings.map((f) => f.title))).toBeDefined();
    expect(top?.pattern).toBe(row.pattern);
    expect(top?.resource.name).toBe(row.resource);
    expect(d.findings.filter((f) => f.pattern === row.pattern && f.resource.name === row.resource)).toHaveLength(1);
    for (const id of row.cause) expect(top?.cause).toContain(id);
    const evidence = JSON.stringify(top?.evidence);
    for (const id of row.evidence) expect(evidence).toContain(id.replace(/"/g, '\\"'));
    const change = top?.evidence.find((e) => e.type === 'change');
    if (row.change) {
      expect(change).toMatchObject({ type: 'change', beforeFailure: true });
      expect(change?.type === 'change' && change.changes.map((c) => c.field)).toContain(row.change);
      expect(top?.cause).toContain('It began after revision');
    } else {
      expect(change?.type === 'change' && change.beforeFailure).toBeFalsy();
      expect(top?.runbooks.map((r) => r.id)).not.toContain('deployment-rollback');
    }
    if (row.runbook) expect(top?.runbooks[0]?.id).toBe(row.runbook);
    else expect(top?.runbooks.filter((r) => r.id === 'deployment-rollback')).toEqual([]);
    for (const p of row.folds ?? []) expect(top?.folded.map((f) => f.pattern)).toContain(p);
    expect(d.verdict).toBe(row.pattern === 'workload.inconclusive' ? 'inconclusive' : 'problems');

    await row.heal(w);
    await w.run(row.seconds ?? 90);
    const after = await w.diagnose(row.ns);
    expect(after.findings.map((f) => `${f.pattern} ${f.resource.name}`)).not.toContain(
      `${row.pattern} ${row.resource}`,
    );
  });
});
