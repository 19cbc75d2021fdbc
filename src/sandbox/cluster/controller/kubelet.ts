import { imageDigest, qualified, REQUEST_LOG_EVERY_MS } from '../images.js';
import {
  as,
  type Condition,
  type Container,
  type ContainerStatus,
  findCondition,
  type Node,
  type Pod,
  type PodStatus,
  parseBytes,
  qosClass,
  setCondition,
} from '../objects.js';
import { rfc3339 } from '../time.js';
import type { WorldContext } from '../world-context.js';
import { checkConfig, missingVolume } from './config-refs.js';
import { probe } from './probes.js';

interface ContainerRuntime {
  pulled: boolean;
  pullAttempts: number;
  nextPullAt: number;
  pullStartedAt?: number;
  fate?: { at: number; kind: 'crash' | 'oom' | 'liveness' };
  /** Consecutive liveness probe failures of the current instance. */
  liveFailures: number;
  /** Request lines printed by the current instance. */
  logged: number;
}

const BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 300_000;

/** Crash-loop back-off after the n-th restart: the first restart is immediate, then 10s, 20s, … 5m. */
export function restartBackoff(restartCount: number): number {
  if (restartCount <= 1) return 0;
  return Math.min(BACKOFF_MS * 2 ** (restartCount - 2), MAX_BACKOFF_MS);
}

function pullBackoff(attempts: number): number {
  return Math.min(BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export function nodeReady(node: Node | undefined): boolean {
  return findCondition(node?.status.conditions, 'Ready')?.status === 'True';
}

/** The kubelets of every node: pull images, start containers, restart them with back-off, probe readiness. */
export class Kubelet {
  private readonly runtime = new Map<string, Map<string, ContainerRuntime>>();
  private readonly nodeImages = new Map<string, Set<string>>();
  private readonly ipSeq = new Map<string, number>();

  constructor(private readonly ctx: WorldContext) {}

  /** Marks images as already present on every node (a warm cluster). */
  preload(images: string[]): void {
    for (const n of this.ctx.list('Node')) {
      const set = this.nodeImages.get(n.metadata.name) ?? new Set<string>();
      for (const i of images) set.add(i);
      this.nodeImages.set(n.metadata.name, set);
    }
  }

  sync(): void {
    const nodes = new Map(this.ctx.list('Node').map((n) => [n.metadata.name, as<Node>(n)]));
    const live = new Set<string>();
    for (const raw of this.ctx.list('Pod'))
      this.ctx.guard(`kubelet ${raw.metadata.namespace}/${raw.metadata.name}`, () => {
        const pod = as<Pod>(raw);
        live.add(pod.metadata.uid ?? '');
        const node = pod.spec.nodeName ? nodes.get(pod.spec.nodeName) : undefined;
        if (!node || !nodeReady(node)) return;
        if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return;
        this.syncPod(pod, node);
      });
    for (const uid of [...this.runtime.keys()]) if (!live.has(uid)) this.runtime.delete(uid);
  }

  private rt(pod: Pod, name: string): ContainerRuntime {
    const uid = pod.metadata.uid ?? '';
    let m = this.runtime.get(uid);
    if (!m) {
      m = new Map();
      this.runtime.set(uid, m);
    }
    let r = m.get(name);
    if (!r) {
      r = { pulled: false, pullAttempts: 0, nextPullAt: 0, logged: 0, liveFailures: 0 };
      m.set(name, r);
    }
    return r;
  }

  private podIp(node: Node): string {
    const cidr = node.spec.podCIDR ?? '10.244.0.0/24';
    const prefix = cidr.split('/')[0]?.split('.').slice(0, 3).join('.') ?? '10.244.0';
    const n = (this.ipSeq.get(node.metadata.name) ?? 1) + 1;
    this.ipSeq.set(node.metadata.name, n > 250 ? 2 : n);
    return `${prefix}.${n}`;
  }

  private syncPod(pod: Pod, node: Node): void {
    const ctx = this.ctx;
    const status: PodStatus = structuredClone(pod.status ?? { phase: 'Pending' });
    const now = ctx.ts();
    if (!status.podIP) {
      const hostIP = node.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
      const ip = this.podIp(node);
      Object.assign(status, { hostIP, hostIPs: [{ ip: hostIP }], podIP: ip, podIPs: [{ ip }], startTime: now });
    }
    status.qosClass = qosClass(pod.spec);
    const prev = new Map((status.containerStatuses ?? []).map((c) => [c.name, c]));
    const everStarted = [...prev.values()].some((c) => c.started || c.restartCount > 0 || c.state.running);
    const mountErr = everStarted ? undefined : missingVolume(ctx.store, pod);
    if (mountErr) ctx.event(pod, 'FailedMount', mountErr, 'Warning', 30_000);
    status.containerStatuses = pod.spec.containers.map((c) => {
      const cs: ContainerStatus = prev.get(c.name) ?? {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      };
      if (!mountErr) this.step(pod, c, cs, status.podIP ?? '');
      return cs;
    });
    this.podConditions(pod, status, now);
    ctx.setStatus(pod, status);
  }

  private step(pod: Pod, c: Container, cs: ContainerStatus, podIP: string): void {
    const ctx = this.ctx;
    const r = this.rt(pod, c.name);
    const now = ctx.now();
    const ns = pod.metadata.namespace ?? 'default';
    if (cs.image !== c.image) cs.image = c.image;
    if (cs.state.waiting || cs.state.terminated) {
      if (!r.pulled && !this.pull(pod, c, cs, r)) return;
      const configErr = checkConfig(ctx.store, ns, c);
      if (configErr) {
        cs.state = { waiting: { reason: 'CreateContainerConfigError', message: configErr } };
        ctx.event(pod, 'Failed', `Error: ${configErr}`, 'Warning', 10_000);
        return;
      }
      const finished = cs.state.terminated?.finishedAt ?? cs.lastState.terminated?.finishedAt;
      if (cs.restartCount > 0 && finished && now < Date.parse(finished) + restartBackoff(cs.restartCount)) return;
      this.start(pod, c, cs, r);
    }
    if (cs.state.running) this.run(pod, c, cs, r, podIP);
  }

  /** Returns true once the image is on the node. */
  private pull(pod: Pod, c: Container, cs: ContainerStatus, r: ContainerRuntime): boolean {
    const ctx = this.ctx;
    const now = ctx.now();
    const node = pod.spec.nodeName ?? '';
    const images = this.nodeImages.get(node) ?? new Set<string>();
    this.nodeImages.set(node, images);
    if (r.pullStartedAt !== undefined) {
      const took = ctx.images.profile(c.image).pullMs;
      if (now < r.pullStartedAt + took) return false;
      r.pullStartedAt = undefined;
      r.pulled = true;
      images.add(c.image);
      const secs = (took / 1000).toFixed(3);
      const size = ctx.images.profile(c.image).sizeBytes;
      ctx.event(
        pod,
        'Pulled',
        `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`,
      );
      return true;
    }
    if (images.has(c.image) && c.imagePullPolicy !== 'Always') {
      r.pulled = true;
      ctx.event(pod, 'Pulled', `Container image "${c.image}" already present on machine`);
      return true;
    }
    if (now < r.nextPullAt) {
      if (cs.state.waiting?.reason === 'ErrImagePull') {
        cs.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } };
        ctx.event(pod, 'BackOff', `Back-off pulling image "${c.image}"`, 'Normal');
      }
      return false;
    }
    ctx.event(pod, 'Pulling', `Pulling image "${c.image}"`);
    if (!ctx.images.exists(c.image)) {
      r.pullAttempts++;
      r.nextPullAt = now + pullBackoff(r.pullAttempts);
      const q = qualified(c.image);
      const message = `rpc error: code = NotFound desc = failed to pull and unpack image "${q}": failed to resolve reference "${q}": ${q}: not found`;
      cs.state = { waiting: { reason: 'ErrImagePull', message } };
      ctx.event(pod, 'Failed', `Failed to pull image "${c.image}": ${message}`, 'Warning');
      return false;
    }
    r.pullStartedAt = now;
    return this.pull(pod, c, cs, r);
  }

  private start(pod: Pod, c: Container, cs: ContainerStatus, r: ContainerRuntime): void {
    const ctx = this.ctx;
    const ns = pod.metadata.namespace ?? 'default';
    const now = ctx.now();
    if (cs.restartCount > 0) ctx.store.rotateLogs(ns, pod.metadata.name, c.name);
    if (cs.state.terminated) cs.lastState = { terminated: cs.state.terminated };
    cs.containerID = `containerd://${ctx.rng.hex(64)}`;
    cs.imageID = `${qualified(c.image).replace(/:[^:/]*$/, '')}@${imageDigest(c.image)}`;
    cs.state = { running: { startedAt: rfc3339(now) } };
    cs.started = true;
    cs.ready = false;
    r.logged = 0;
    r.liveFailures = 0;
    ctx.event(pod, 'Created', `Created container: ${c.name}`);
    ctx.event(pod, 'Started', `Started container ${c.name}`);
    const profile = ctx.images.profile(c.image);
    const logCtx = this.logCtx(pod, c, now);
    for (const line of profile.startupLogs(logCtx)) ctx.store.appendLog(ns, pod.metadata.name, c.name, line);
    const limit = parseBytes(c.resources?.limits?.memory);
    if (ctx.faults.crashingPods.has(pod.metadata.uid ?? '')) r.fate = { at: now + 4000, kind: 'crash' };
    else if (limit > 0 && profile.memoryBytes > limit) r.fate = { at: now + profile.warmupMs, kind: 'oom' };
    else if (profile.crash) r.fate = { at: now + profile.crash.afterMs, kind: 'crash' };
    else r.fate = undefined;
  }

  private logCtx(pod: Pod, c: Container, base: number) {
    return {
      pod: pod.metadata.name,
      namespace: pod.metadata.namespace ?? 'default',
      container: c.name,
      image: c.image,
      at: (off = 0) => new Date(base + off).toISOString(),
    };
  }

  private run(pod: Pod, c: Container, cs: ContainerStatus, r: ContainerRuntime, podIP: string): void {
    const ctx = this.ctx;
    const now = ctx.now();
    const ns = pod.metadata.namespace ?? 'default';
    if (!r.fate && ctx.faults.crashingPods.has(pod.metadata.uid ?? '')) r.fate = { at: now + 1000, kind: 'crash' };
    if (r.fate && now >= r.fate.at) {
      const profile = ctx.images.profile(c.image);
      const logCtx = this.logCtx(pod, c, Date.parse(cs.state.running?.startedAt ?? ctx.ts()));
      const oom = r.fate.kind === 'oom';
      const killed = r.fate.kind === 'liveness';
      const lines = oom
        ? (profile.oomLogs?.(logCtx) ?? [])
        : killed
          ? []
          : ctx.faults.crashingPods.has(pod.metadata.uid ?? '')
            ? transientCrashLogs(logCtx)
            : (profile.crash?.logs(logCtx) ?? []);
      for (const line of lines) ctx.store.appendLog(ns, pod.metadata.name, c.name, line);
      const exitCode = oom || killed ? 137 : (profile.crash?.exitCode ?? 1);
      cs.lastState = {};
      cs.state = {
        terminated: {
          exitCode,
          reason: oom ? 'OOMKilled' : 'Error',
          startedAt: cs.state.running?.startedAt,
          finishedAt: rfc3339(now),
          containerID: cs.containerID,
        },
      };
      cs.restartCount++;
      cs.ready = false;
      cs.started = false;
      r.fate = undefined;
      const backoff = restartBackoff(cs.restartCount);
      if (backoff > 0) {
        cs.lastState = { terminated: cs.state.terminated };
        const message = `back-off ${backoff / 1000 >= 60 ? `${backoff / 60_000}m0s` : `${backoff / 1000}s`} restarting failed container=${c.name} pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`;
        cs.state = { waiting: { reason: 'CrashLoopBackOff', message } };
        ctx.event(
          pod,
          'BackOff',
          `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
          'Warning',
        );
      }
      return;
    }
    const startedAt = Date.parse(cs.state.running?.startedAt ?? ctx.ts());
    if (this.liveness(pod, c, cs, r, podIP, now - startedAt)) {
      this.run(pod, c, cs, r, podIP);
      return;
    }
    this.requestLogs(pod, c, r, now - startedAt);
    const rp = c.readinessProbe;
    if (!rp) {
      cs.ready = true;
      return;
    }
    if (now < startedAt + (rp.initialDelaySeconds ?? 0) * 1000) return;
    const profile = ctx.images.profile(c.image);
    const result = probe(c, rp, profile, podIP, now - startedAt);
    cs.ready = result.ok;
    if (!result.ok && result.message) {
      const every = (rp.periodSeconds ?? 10) * 1000;
      ctx.event(pod, 'Unhealthy', `Readiness probe failed: ${result.message}`, 'Warning', every);
    }
  }

  /** Runs the liveness probe once per period; returns true when the kubelet decides to kill the container. */
  private liveness(
    pod: Pod,
    c: Container,
    cs: ContainerStatus,
    r: ContainerRuntime,
    podIP: string,
    uptime: number,
  ): boolean {
    const lp = c.livenessProbe;
    const ctx = this.ctx;
    if (!lp || r.fate || uptime < (lp.initialDelaySeconds ?? 0) * 1000) return false;
    if (!ctx.due(`liveness|${cs.containerID}`, (lp.periodSeconds ?? 10) * 1000)) return false;
    const result = probe(c, lp, ctx.images.profile(c.image), podIP, uptime);
    if (result.ok || !result.message) {
      r.liveFailures = 0;
      return false;
    }
    r.liveFailures++;
    ctx.event(pod, 'Unhealthy', `Liveness probe failed: ${result.message}`, 'Warning');
    if (r.liveFailures < (lp.failureThreshold ?? 3)) return false;
    ctx.event(pod, 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
    r.fate = { at: ctx.now(), kind: 'liveness' };
    return true;
  }

  /** A serving process logs its traffic; one that never got ready (or is about to die) does not. */
  private requestLogs(pod: Pod, c: Container, r: ContainerRuntime, uptimeMs: number): void {
    const profile = this.ctx.images.profile(c.image);
    if (!profile.requestLog || r.fate || uptimeMs < profile.readyAfterMs) return;
    const due = Math.floor(uptimeMs / REQUEST_LOG_EVERY_MS);
    const ns = pod.metadata.namespace ?? 'default';
    const logCtx = this.logCtx(pod, c, this.ctx.now());
    for (; r.logged < due; r.logged++)
      this.ctx.store.appendLog(ns, pod.metadata.name, c.name, profile.requestLog(logCtx, r.logged + 1));
  }

  private podConditions(pod: Pod, status: PodStatus, now: string): void {
    const css = status.containerStatuses ?? [];
    const started = css.some((c) => c.state.running || c.restartCount > 0);
    const allReady = css.length > 0 && css.every((c) => c.ready);
    const failed = pod.spec.restartPolicy === 'Never' && css.some((c) => c.state.terminated);
    status.phase = failed ? 'Failed' : started ? 'Running' : 'Pending';
    const notReady = css.filter((c) => !c.ready).map((c) => c.name);
    const readyCond = (type: string): Condition =>
      allReady
        ? { type, status: 'True', lastProbeTime: null }
        : {
            type,
            status: 'False',
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${notReady.join(' ')}]`,
            lastProbeTime: null,
          };
    let conds = status.conditions ?? [];
    conds = setCondition(conds, { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null }, now);
    conds = setCondition(conds, { type: 'Initialized', status: 'True', lastProbeTime: null }, now);
    conds = setCondition(conds, readyCond('Ready'), now);
    conds = setCondition(conds, readyCond('ContainersReady'), now);
    conds = setCondition(conds, { type: 'PodScheduled', status: 'True', lastProbeTime: null }, now);
    const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
    status.conditions = conds.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  }
}

function transientCrashLogs(c: { at: (o?: number) => string; container: string }): string[] {
  return [
    `{"level":"error","ts":"${c.at(3000)}","msg":"database ping failed","error":"dial tcp postgres.shop:5432: pq: remaining connection slots are reserved for non-replication superuser connections","attempt":3}`,
    `{"level":"fatal","ts":"${c.at(3900)}","msg":"cannot start without a database connection","component":"${c.container}"}`,
  ];
}
