/** Analyzers over recorded objects, for the conditions the simulator does not produce. */
import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../src/diagnosis/analyzer.js';
import { daemonsetAnalyzer } from '../../../src/diagnosis/analyzers/daemonset.js';
import { deploymentAnalyzer } from '../../../src/diagnosis/analyzers/deployment.js';
import { hpaAnalyzer } from '../../../src/diagnosis/analyzers/hpa.js';
import { ingressAnalyzer } from '../../../src/diagnosis/analyzers/ingress.js';
import { cronjobAnalyzer, cronProblem, jobAnalyzer } from '../../../src/diagnosis/analyzers/job.js';
import { nodeAnalyzer } from '../../../src/diagnosis/analyzers/node.js';
import { missingRef, podAnalyzer } from '../../../src/diagnosis/analyzers/pod.js';
import { replicasetAnalyzer } from '../../../src/diagnosis/analyzers/replicaset.js';
import { statefulsetAnalyzer } from '../../../src/diagnosis/analyzers/statefulset.js';
import { event, pod, snapshotOf } from './recorded.js';

const summary = (ds: Draft[]) => ds.map((d) => `${d.pattern} ${d.resource.name}`);
const text = (d: Draft | undefined) => JSON.stringify(d);

const pending = (name: string, message: string, spec: object = {}) =>
  pod(name, {
    spec,
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    },
  });

describe('pod analyzer', () => {
  it('names the extended resource requested and what the nodes allocate', () => {
    const snap = snapshotOf({
      pod: [
        pending('train-0', '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.', {
          containers: [{ name: 'app', image: 'x', resources: { requests: { 'nvidia.com/gpu': '2' } } }],
        }),
      ],
      node: [{ metadata: { name: 'n1' }, status: { allocatable: { 'nvidia.com/gpu': '1' } } }],
    });
    const [d] = podAnalyzer.analyze(snap);
    expect(d?.pattern).toBe('pod.unschedulable');
    expect(d?.vars.detail).toBe('Insufficient nvidia.com/gpu: requests 2, nodes allocate 1');
  });

  it('names an untolerated taint from the scheduler message', () => {
    const snap = snapshotOf({
      pod: [pending('web-0', '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}.')],
    });
    expect(podAnalyzer.analyze(snap)[0]?.vars.detail).toContain('untolerated taint dedicated: gpu');
  });

  it('reports scheduling gates by name', () => {
    const snap = snapshotOf({
      pod: [
        pod('gated', {
          spec: { schedulingGates: [{ name: 'example.com/quota-check' }] },
          status: {
            phase: 'Pending',
            conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
          },
        }),
      ],
    });
    const [d] = podAnalyzer.analyze(snap);
    expect(d).toMatchObject({ pattern: 'pod.scheduling_gated', vars: { gates: 'example.com/quota-check' } });
  });

  it('finds a failing init container before the main containers', () => {
    const snap = snapshotOf({
      pod: [
        pod('api-1', {
          spec: { initContainers: [{ name: 'migrate', image: 'm' }] },
          status: {
            phase: 'Pending',
            initContainerStatuses: [
              {
                name: 'migrate',
                restartCount: 4,
                state: { waiting: { reason: 'CrashLoopBackOff' } },
                lastState: { terminated: { reason: 'Error', exitCode: 2 } },
              },
            ],
            containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
          },
        }),
      ],
    });
    const [d, ...rest] = podAnalyzer.analyze(snap);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ pattern: 'pod.init_failed', vars: { container: 'migrate', exitCode: 2 } });
    expect(d?.logs).toMatchObject({ container: 'migrate', previous: true });
  });

  it('names the missing key of an existing ConfigMap', () => {
    expect(missingRef("couldn't find key DB_HOST in ConfigMap shop/app-config")).toEqual({
      refKind: 'ConfigMap',
      refName: 'app-config',
      key: 'DB_HOST',
    });
    const snap = snapshotOf({
      configmap: [{ metadata: { name: 'app-config', namespace: 'shop' }, data: {} }],
      pod: [
        pod('a', {
          status: {
            phase: 'Pending',
            containerStatuses: [
              {
                name: 'app',
                state: {
                  waiting: {
                    reason: 'CreateContainerConfigError',
                    message: "couldn't find key DB_HOST in ConfigMap shop/app-config",
                  },
                },
              },
            ],
          },
        }),
      ],
    });
    const [d] = podAnalyzer.analyze(snap);
    expect(d).toMatchObject({
      pattern: 'pod.missing_config_ref',
      confidence: 'high',
      vars: { refName: 'app-config', key: ' (key DB_HOST)' },
    });
  });

  it('reads a container terminated with a non-zero exit code', () => {
    const snap = snapshotOf({
      pod: [
        pod('once', {
          status: {
            phase: 'Failed',
            containerStatuses: [{ name: 'app', state: { terminated: { reason: 'Error', exitCode: 3 } } }],
          },
        }),
      ],
    });
    expect(podAnalyzer.analyze(snap)[0]).toMatchObject({ pattern: 'pod.terminated_error', vars: { exitCode: 3 } });
  });
});

describe('workload analyzers', () => {
  it('replicaset FailedCreate names the exceeded quota and resource', () => {
    const message =
      'pods "web-7f-abcde" is forbidden: exceeded quota: compute-quota, requested: limits.memory=512Mi, used: limits.memory=2Gi, limited: limits.memory=2Gi';
    const snap = snapshotOf({
      replicaset: [
        {
          metadata: { name: 'web-7f', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web' }] },
          spec: { replicas: 3 },
          status: {
            replicas: 0,
            conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }],
          },
        },
      ],
    });
    const [d] = replicasetAnalyzer.analyze(snap);
    expect(d).toMatchObject({
      pattern: 'replicaset.create_failed',
      resource: { kind: 'deployment', name: 'web' },
      vars: { quota: 'compute-quota', exceeded: 'limits.memory=512Mi' },
    });
  });

  it('deployment Progressing=False is reported with its reason', () => {
    const snap = snapshotOf({
      deployment: [
        {
          metadata: { name: 'web', namespace: 'shop' },
          spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
          status: {
            availableReplicas: 1,
            conditions: [
              {
                type: 'Progressing',
                status: 'False',
                reason: 'ProgressDeadlineExceeded',
                message: 'ReplicaSet "web-7f" has timed out progressing.',
              },
            ],
          },
        },
      ],
    });
    expect(deploymentAnalyzer.analyze(snap)[0]).toMatchObject({
      pattern: 'deployment.progress_deadline',
      vars: { reason: 'ProgressDeadlineExceeded' },
    });
  });

  it('statefulset: missing StorageClass of a claim template', () => {
    const snap = snapshotOf({
      service: [{ metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: 'None' } }],
      statefulset: [
        {
          metadata: { name: 'db', namespace: 'shop' },
          spec: {
            replicas: 1,
            serviceName: 'db',
            selector: { matchLabels: { app: 'db' } },
            volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'gp3' } }],
          },
          status: { readyReplicas: 1 },
        },
      ],
    });
    expect(summary(statefulsetAnalyzer.analyze(snap))).toEqual(['statefulset.missing_storage_class db']);
  });

  it('daemonset: a missing imagePullSecret and fewer ready than scheduled', () => {
    const snap = snapshotOf({
      daemonset: [
        {
          metadata: { name: 'agent', namespace: 'shop' },
          spec: {
            selector: { matchLabels: { app: 'agent' } },
            template: { spec: { imagePullSecrets: [{ name: 'regcred' }], containers: [] } },
          },
          status: { desiredNumberScheduled: 3, numberReady: 1 },
        },
      ],
    });
    const ds = daemonsetAnalyzer.analyze(snap);
    expect(summary(ds)).toEqual(['daemonset.missing_pull_secret agent', 'daemonset.unavailable agent']);
    expect(ds[1]?.symptom).toBe(true);
  });

  it('ingress: no class and a TLS Secret that does not exist', () => {
    const snap = snapshotOf({
      service: [{ metadata: { name: 'web', namespace: 'shop' }, spec: {} }],
      ingress: [
        {
          metadata: { name: 'web', namespace: 'shop' },
          spec: {
            tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
            rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
          },
        },
      ],
    });
    expect(summary(ingressAnalyzer.analyze(snap))).toEqual(['ingress.no_class web', 'ingress.missing_tls_secret web']);
  });

  it('jobs and cronjobs: suspended, invalid schedules', () => {
    expect(cronProblem('*/5 * * * *')).toBeUndefined();
    expect(cronProblem('@hourly')).toBeUndefined();
    expect(cronProblem('0 25 * * *')).toBe('"25" is out of range 0-23');
    expect(cronProblem('0 * * *')).toBe('expected 5 fields, got 4');
    const snap = snapshotOf({
      job: [{ metadata: { name: 'once', namespace: 'shop' }, spec: { suspend: true }, status: {} }],
      cronjob: [{ metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 25 * * *', suspend: true } }],
    });
    expect(summary(jobAnalyzer.analyze(snap))).toEqual(['job.suspended once']);
    expect(summary(cronjobAnalyzer.analyze(snap))).toEqual([
      'cronjob.suspended nightly',
      'cronjob.invalid_schedule nightly',
    ]);
  });

  it('node: MemoryPressure with when it began, and the pods on the node', () => {
    const snap = snapshotOf({
      node: [
        {
          metadata: { name: 'n1' },
          status: {
            conditions: [
              { type: 'Ready', status: 'True' },
              {
                type: 'MemoryPressure',
                status: 'True',
                reason: 'KubeletHasInsufficientMemory',
                message: 'kubelet has insufficient memory available',
                lastTransitionTime: '2026-11-25T07:50:00Z',
              },
            ],
          },
        },
      ],
      pod: [pod('a', { spec: { nodeName: 'n1' } })],
    });
    const [d] = nodeAnalyzer.analyze(snap);
    expect(d).toMatchObject({
      pattern: 'node.pressure',
      vars: { condition: 'MemoryPressure', since: '2026-11-25T07:50:00.000Z', pods: 1 },
    });
    expect(d?.affects?.map((p) => p.name)).toEqual(['a']);
  });

  it('hpa: a target that does not exist', () => {
    const snap = snapshotOf({
      horizontalpodautoscaler: [
        {
          metadata: { name: 'web', namespace: 'shop' },
          spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
        },
      ],
    });
    expect(hpaAnalyzer.analyze(snap)[0]).toMatchObject({
      pattern: 'hpa.missing_target',
      vars: { target: 'Deployment/web', problem: 'not found' },
    });
  });

  it('readiness failures name the probe and port from the latest Unhealthy event', () => {
    const snap = snapshotOf({
      pod: [
        pod('web-1', {
          spec: { containers: [{ name: 'app', image: 'x', readinessProbe: { tcpSocket: { port: 9000 } } }] },
          status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }] },
        }),
      ],
      event: [
        event(
          'Pod',
          'web-1',
          'Unhealthy',
          'Readiness probe failed: dial tcp 10.0.0.5:9000: connect: connection refused',
        ),
      ],
    });
    const [d] = podAnalyzer.analyze(snap);
    expect(d).toMatchObject({ pattern: 'pod.readiness_failed', vars: { probe: 'tcpSocket', port: '9000' } });
    expect(text(d)).toContain('connection refused');
  });
});
