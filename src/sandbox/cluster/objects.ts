import type { K8sObject, ObjectMeta, OwnerReference } from './store.js';

/**
 * Typed views of the object shapes the controllers read and write. The store keeps plain JSON; these
 * interfaces name only the fields the simulated control plane cares about.
 */
export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: EnvSource }[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  args?: string[];
  command?: string[];
}

export interface EnvSource {
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
  secretKeyRef?: { name: string; key: string; optional?: boolean };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Volume {
  name: string;
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName: string; optional?: boolean };
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  nodeName?: string;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  restartPolicy?: string;
  [k: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
}

export interface ContainerState {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: {
    exitCode: number;
    reason: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  qosClass?: string;
  reason?: string;
  message?: string;
  [k: string]: unknown;
}

export interface Pod extends K8sObject {
  spec: PodSpec;
  status: PodStatus;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface DeploymentSpec {
  replicas: number;
  selector: LabelSelector;
  template: PodTemplate;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
  [k: string]: unknown;
}

export interface Deployment extends K8sObject {
  spec: DeploymentSpec;
  status: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
    [k: string]: unknown;
  };
}

export interface ReplicaSet extends K8sObject {
  spec: {
    replicas: number;
    selector: LabelSelector;
    template: PodTemplate;
    minReadySeconds?: number;
    [k: string]: unknown;
  };
  status: {
    replicas?: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    [k: string]: unknown;
  };
}

export interface Node extends K8sObject {
  spec: {
    unschedulable?: boolean;
    podCIDR?: string;
    taints?: { key: string; value?: string; effect: string; timeAdded?: string }[];
    [k: string]: unknown;
  };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: Condition[];
    addresses: { type: string; address: string }[];
    [k: string]: unknown;
  };
}

export const as = <T>(o: K8sObject): T => o as unknown as T;
export const obj = (o: unknown): K8sObject => o as K8sObject;

export function meta(o: K8sObject): ObjectMeta {
  return o.metadata;
}

export function ownerRef(owner: K8sObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(o: K8sObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function isOwnedBy(o: K8sObject, owner: K8sObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

export function matchesSelector(labels: Record<string, string> | undefined, sel: LabelSelector | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const v = l[e.key];
    const values = e.values ?? [];
    if (e.operator === 'In' && (v === undefined || !values.includes(v))) return false;
    if (e.operator === 'NotIn' && v !== undefined && values.includes(v)) return false;
    if (e.operator === 'Exists' && v === undefined) return false;
    if (e.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

/** A Service-style selector (a plain map) matches when every pair is present; an empty one matches nothing. */
export function matchesMap(labels: Record<string, string> | undefined, sel: Record<string, string>): boolean {
  const entries = Object.entries(sel);
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** JSON with sorted keys and without null/undefined members, so equal templates compare equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a over the canonical template, safe-encoded as the deployment controller names its ReplicaSets. */
export function podTemplateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(canonical(template))) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

/** Parses CPU quantities into cores ("250m" → 0.25, "2" → 2). */
export function parseCpu(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  if (s.endsWith('m')) return Number(s.slice(0, -1)) / 1000;
  return Number(s) || 0;
}

const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DEC: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Parses memory/storage quantities into bytes ("256Mi", "1G", "1048576"). */
export function parseBytes(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^([0-9.]+)([KMGT]i|[kMGT])?$/.exec(String(q));
  if (!m) return 0;
  const unit = m[2];
  return Number(m[1]) * (unit ? (BIN[unit] ?? DEC[unit] ?? 1) : 1);
}

/** Sum of a pod's container requests (cores, bytes). */
export function podRequests(spec: PodSpec): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of spec.containers) {
    cpu += parseCpu(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    memory += parseBytes(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  }
  return { cpu, memory };
}

export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const rs = spec.containers.map((c) => c.resources ?? {});
  const any = rs.some((r) => Object.keys(r.requests ?? {}).length > 0 || Object.keys(r.limits ?? {}).length > 0);
  if (!any) return 'BestEffort';
  const guaranteed = rs.every(
    (r) =>
      r.limits?.cpu !== undefined &&
      r.limits?.memory !== undefined &&
      (r.requests?.cpu ?? r.limits.cpu) === r.limits.cpu &&
      (r.requests?.memory ?? r.limits.memory) === r.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Resolves a percentage or absolute rolling-update value against the replica count. */
export function intOrPercent(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  if (x.endsWith('%')) {
    const f = (Number(x.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(f) : Math.floor(f);
  }
  return Number(x) || 0;
}

/** Sets a condition, moving lastTransitionTime only when the status flips. Returns the new list. */
export function setCondition(list: Condition[] | undefined, next: Condition, now: string): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? out[i] : undefined;
  const merged: Condition = {
    ...next,
    lastTransitionTime: prev && prev.status === next.status ? (prev.lastTransitionTime ?? now) : now,
  };
  if (i >= 0) out[i] = merged;
  else out.push(merged);
  return out;
}

export function findCondition(list: Condition[] | undefined, type: string): Condition | undefined {
  return list?.find((c) => c.type === type);
}

/** Deterministic pseudo-random source (mulberry32) for names, IDs and addresses. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  suffix(n = 5): string {
    return Array.from({ length: n }, () => SAFE[Math.floor(this.next() * SAFE.length)]).join('');
  }

  hex(n: number): string {
    return Array.from({ length: n }, () => Math.floor(this.next() * 16).toString(16)).join('');
  }
}
