/**
 * Pods: eviction (with the node pressure), scheduling (see pod-scheduling.ts), init containers, and each
 * container's state — crash loops with the last termination reason and exit code, OOMKilled with the memory
 * limit, image pulls naming the image and the registry's answer, missing ConfigMaps/Secrets/keys (env or
 * mount), other container errors, liveness and readiness probe failures with the probe and port, and
 * containers that exited non-zero. Exit 137 with neither an OOMKill nor a probe failure is inconclusive.
 */
import type { V1Container, V1ContainerStatus, V1Pod, V1Probe } from '@kubernetes/client-node';
import type { ResourceRef } from '../../shared/resource-ref.js';
import { type Analyzer, type Draft, eventEvidence, eventsWith, specEvidence, statusEvidence } from '../analyzer.js';
import { iso, type Snapshot } from '../snapshot.js';
import { schedulingDrafts } from './pod-scheduling.js';

const IMAGE_REASONS = [
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'ImageInspectError',
];
const CONTAINER_ERRORS = ['CreateContainerError', 'RunContainerError', 'PreStartHookError', 'PreCreateHookError'];

function probeText(p: V1Probe | undefined): { probe: string; port: string } {
  if (!p) return { probe: 'probe', port: '?' };
  if (p.httpGet) return { probe: `httpGet ${p.httpGet.path ?? '/'}`, port: String(p.httpGet.port) };
  if (p.tcpSocket) return { probe: 'tcpSocket', port: String(p.tcpSocket.port) };
  if (p.grpc) return { probe: 'grpc', port: String(p.grpc.port) };
  if (p.exec) return { probe: `exec ${(p.exec.command ?? []).join(' ')}`, port: '-' };
  return { probe: 'probe', port: '?' };
}

/** `configmap "x" not found`, `secret "x" not found`, `couldn't find key K in ConfigMap ns/x`. */
export function missingRef(message: string): { refKind: string; refName: string; key?: string } | undefined {
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) (?:[^/\s]+\/)?([^\s"]+)/i.exec(message);
  if (key) return { refKind: key[2] ?? '', refName: key[3] ?? '', key: key[1] ?? '' };
  const obj = /(configmap|secret)s? "([^"]+)" not found/i.exec(message);
  if (obj) return { refKind: obj[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', refName: obj[2] ?? '' };
  return undefined;
}

interface Ctx {
  snap: Snapshot;
  pod: V1Pod;
  self: ResourceRef;
  owner: ResourceRef;
  ns: string | undefined;
  name: string;
}

function base(c: Ctx, extra: Partial<Draft> & Pick<Draft, 'pattern' | 'vars' | 'evidence'>): Draft {
  return {
    resource: c.owner,
    subject: c.self,
    severity: 'critical',
    confidence: 'high',
    related: [c.owner, c.self],
    ...extra,
  };
}

function containerDraft(
  c: Ctx,
  cs: V1ContainerStatus,
  spec: V1Container | undefined,
  init: boolean,
): Draft | undefined {
  const { snap, self } = c;
  const field = init ? 'initContainerStatuses' : 'containerStatuses';
  const waiting = cs.state?.waiting;
  const last = cs.lastState?.terminated;
  const term = cs.state?.terminated;
  const vars = { pod: c.name, container: cs.name, image: spec?.image ?? cs.image ?? '' };
  const logs = { namespace: c.ns ?? '', pod: c.name, container: cs.name, previous: true };
  const w = waiting?.reason ?? '';
  if (init && (w === 'CrashLoopBackOff' || (term && (term.exitCode ?? 0) !== 0))) {
    const t = last ?? term;
    return base(c, {
      pattern: 'pod.init_failed',
      vars: { ...vars, reason: t?.reason ?? w, exitCode: t?.exitCode ?? '?' },
      evidence: [
        statusEvidence(self, `${field}[${cs.name}]`, t?.reason ?? w, { exitCode: t?.exitCode, message: t?.message }),
      ],
      logs: { ...logs, previous: w === 'CrashLoopBackOff' },
    });
  }
  if (w === 'CrashLoopBackOff' && last) {
    const evidence = [
      statusEvidence(self, `${field}[${cs.name}].state.waiting`, 'CrashLoopBackOff', { message: waiting?.message }),
      statusEvidence(self, `${field}[${cs.name}].lastState.terminated`, last.reason ?? 'Unknown', {
        exitCode: last.exitCode,
        at: iso(last.finishedAt),
      }),
    ];
    const backoff = eventsWith(snap, self, 'Pod', ['BackOff'])[0];
    if (backoff) evidence.push(eventEvidence(backoff, self));
    const restarts = {
      ...vars,
      restarts: cs.restartCount ?? 0,
      exitCode: last.exitCode ?? '?',
      reason: last.reason ?? 'Unknown',
    };
    if (last.reason === 'OOMKilled') {
      const limit = spec?.resources?.limits?.memory ?? 'none';
      evidence.push(specEvidence(self, `containers[${cs.name}].resources.limits.memory`, limit));
      return base(c, {
        pattern: 'pod.oom_killed',
        vars: { ...restarts, limit },
        evidence,
        logs,
        facts: { container: cs.name, memoryLimit: limit },
      });
    }
    const liveness = eventsWith(snap, self, 'Pod', ['Unhealthy']).find((e) =>
      /^Liveness probe failed/.test(e.message ?? ''),
    );
    if (liveness) {
      const p = probeText(spec?.livenessProbe);
      evidence.push(eventEvidence(liveness, self));
      if (spec?.livenessProbe)
        evidence.push(specEvidence(self, `containers[${cs.name}].livenessProbe`, `${p.probe} port ${p.port}`));
      return base(c, {
        pattern: 'pod.liveness_failed',
        vars: { ...restarts, ...p },
        evidence,
        logs,
        facts: { container: cs.name },
      });
    }
    if (last.exitCode === 137)
      return base(c, {
        pattern: 'workload.inconclusive',
        severity: 'warning',
        confidence: 'low',
        vars: restarts,
        evidence,
        logs,
        facts: { container: cs.name },
      });
    return base(c, { pattern: 'pod.crash_loop', vars: restarts, evidence, logs, facts: { container: cs.name } });
  }
  if (IMAGE_REASONS.includes(w)) {
    const evidence = [statusEvidence(self, `${field}[${cs.name}].state.waiting`, w, { message: waiting?.message })];
    const pull = eventsWith(snap, self, 'Pod', ['Failed']).find((e) => /pull|image/i.test(e.message ?? ''));
    if (pull) evidence.push(eventEvidence(pull, self));
    const registry = (pull?.message ?? waiting?.message ?? '').replace(/^Failed to pull image "[^"]*": /, '');
    return base(c, {
      pattern: 'pod.image_pull',
      vars: { ...vars, reason: w, registry },
      evidence,
      facts: { container: cs.name },
    });
  }
  if (w === 'CreateContainerConfigError' || (w === 'ContainerCreating' && c.pod.status?.phase === 'Pending')) {
    const mount = w === 'ContainerCreating';
    const ev = eventsWith(snap, self, 'Pod', mount ? ['FailedMount', 'FailedCreatePodSandBox'] : ['Failed'])[0];
    if (mount && !ev) return undefined;
    const message = (mount ? ev?.message : waiting?.message) ?? ev?.message ?? '';
    const evidence = [statusEvidence(self, `${field}[${cs.name}].state.waiting`, w, { message: waiting?.message })];
    if (ev) evidence.push(eventEvidence(ev, self));
    const ref = missingRef(message);
    if (ref) {
      const kind = ref.refKind === 'Secret' ? 'secret' : 'configmap';
      const exists = snap.find(kind, c.ns, ref.refName);
      return base(c, {
        pattern: 'pod.missing_config_ref',
        vars: {
          ...vars,
          refKind: ref.refKind,
          refName: ref.refName,
          key: ref.key ? ` (key ${ref.key})` : '',
          keyName: ref.key ?? '',
          via: mount ? 'volume' : 'env',
          // The kubelet says "couldn't find key" only of an object that exists (readable to us or not).
          missingKey: ref.key ? 'key' : 'object',
          absentKey: ref.key ? 'key' : 'object',
        },
        evidence,
        confidence: exists && !ref.key ? 'medium' : 'high',
        related: [c.owner, self, c.snap.ref(kind, c.ns, ref.refName)],
        facts: { container: cs.name },
      });
    }
    return base(c, { pattern: 'pod.mount_failed', vars: { ...vars, reason: ev?.reason ?? w, message }, evidence });
  }
  if (CONTAINER_ERRORS.includes(w))
    return base(c, {
      pattern: 'pod.container_error',
      vars: { ...vars, reason: w, message: waiting?.message ?? '' },
      evidence: [statusEvidence(self, `${field}[${cs.name}].state.waiting`, w, { message: waiting?.message })],
    });
  if (term && (term.exitCode ?? 0) !== 0 && c.pod.status?.reason !== 'Evicted')
    return base(c, {
      pattern: 'pod.terminated_error',
      severity: 'warning',
      vars: { ...vars, reason: term.reason ?? 'Unknown', exitCode: term.exitCode ?? '?' },
      evidence: [
        statusEvidence(self, `${field}[${cs.name}].state.terminated`, term.reason ?? 'Unknown', {
          exitCode: term.exitCode,
          message: term.message,
          at: iso(term.finishedAt),
        }),
      ],
      logs: { ...logs, previous: false },
      // A Job's failed pods are explained by the Job's finding.
      symptom: c.owner.kind === 'job' || c.owner.kind === 'cronjob',
    });
  if (!init && cs.state?.running && cs.ready === false && c.pod.status?.phase === 'Running') {
    const ev = eventsWith(snap, self, 'Pod', ['Unhealthy']).find((e) =>
      /^Readiness probe failed/.test(e.message ?? ''),
    );
    if (!ev) return undefined;
    const p = probeText(spec?.readinessProbe);
    const evidence = [eventEvidence(ev, self)];
    if (spec?.readinessProbe)
      evidence.push(specEvidence(self, `containers[${cs.name}].readinessProbe`, `${p.probe} port ${p.port}`));
    return base(c, { pattern: 'pod.readiness_failed', severity: 'warning', vars: { ...vars, ...p }, evidence });
  }
  return undefined;
}

export function analyzePod(snap: Snapshot, pod: V1Pod): Draft[] {
  const ns = pod.metadata?.namespace;
  const name = pod.metadata?.name ?? '';
  const c: Ctx = { snap, pod, ns, name, self: snap.ref('pod', ns, name), owner: snap.ownerOf(pod) };
  if (pod.status?.reason === 'Evicted') {
    const message = pod.status.message ?? `Pod ${name} has been evicted`;
    const node = pod.spec?.nodeName;
    const pressure = /low on resource: ([\w-]+)/.exec(message)?.[1] ?? 'resources';
    return [
      base(c, {
        pattern: 'pod.evicted',
        severity: 'warning',
        vars: { pod: name, node: node ?? '?', pressure, message },
        evidence: [statusEvidence(c.self, 'status.reason', 'Evicted', { message })],
        related: [c.owner, c.self, ...(node ? [snap.ref('node', undefined, node)] : [])],
        // Under a node condition that is still there, the node's finding explains it; otherwise it stands alone.
        symptom: (snap.find('node', undefined, node ?? '')?.status?.conditions ?? []).some((x) =>
          x.type === 'Ready' ? x.status !== 'True' : x.status === 'True',
        ),
      }),
    ];
  }
  if (pod.status?.phase === 'Succeeded') return [];
  if (pod.status?.phase === 'Pending' && !pod.spec?.nodeName) {
    const scheduling = schedulingDrafts(snap, pod);
    if (scheduling.length > 0) return scheduling;
  }
  const out: Draft[] = [];
  const specs = new Map([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((x) => [x.name, x]));
  for (const cs of pod.status?.initContainerStatuses ?? []) {
    const d = containerDraft(c, cs, specs.get(cs.name), true);
    if (d) return [d];
  }
  for (const cs of pod.status?.containerStatuses ?? []) {
    const d = containerDraft(c, cs, specs.get(cs.name), false);
    if (d) out.push(d);
  }
  return out;
}

export const podAnalyzer: Analyzer = {
  kind: 'pod',
  analyze: (snap) => snap.objects.pod.flatMap((p) => analyzePod(snap, p)),
};
