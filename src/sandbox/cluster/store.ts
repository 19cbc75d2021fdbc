import { randomBytes, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../ports/clock.js';
import { applyDefaults, validate } from './admission.js';
import { jobOnCreate } from './admission-job.js';
import { validateUpdate } from './admission-update.js';
import { type EventType, eventKey, newEvent } from './events.js';
import { kindInfo, resourceRef } from './kinds.js';
import { LogBook, type LogOptions } from './logs.js';
import { compileSelector } from './selectors.js';
import { alreadyExists, badRequest, conflict, notFound } from './status.js';
import { rfc3339 } from './time.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [k: string]: unknown;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  type: WatchEventType;
  object: K8sObject;
}
/** A watch event with the store-wide sequence number it was emitted at (its resourceVersion). */
export interface StoredWatchEvent extends WatchEvent {
  rv: number;
}

export interface WriteOptions {
  /** Validate and return the would-be object without storing it or notifying watchers (`dryRun=All`). */
  dryRun?: boolean;
}

export interface ClusterStoreOptions {
  clock?: Clock;
  /** Create default, kube-system, kube-public and kube-node-lease as a fresh apiserver does (default true). */
  bootstrapNamespaces?: boolean;
  /** How many watch events are kept to resume a watch from an older resourceVersion. */
  historySize?: number;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * The simulated cluster's state: every object by kind/namespace/name, a global resourceVersion, watchers,
 * events and container logs. Reads return copies; errors are Kubernetes `Status`-shaped (K8sStatusError).
 */
export class ClusterStore {
  readonly clock: Clock;
  private readonly objects = new Map<string, Map<string, K8sObject>>();
  private readonly listeners = new Set<(ev: WatchEvent) => void>();
  private readonly history: StoredWatchEvent[] = [];
  private readonly historySize: number;
  private readonly logBook: LogBook;
  private readonly eventNames = new Map<string, { namespace: string | undefined; name: string }>();
  private rv = 1;
  private ipSeq = 1;

  constructor(opts: ClusterStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.historySize = opts.historySize ?? 2000;
    this.logBook = new LogBook(() => this.clock.now());
    if (opts.bootstrapNamespaces ?? true)
      for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
        this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** The newest resourceVersion, as a list's `metadata.resourceVersion`. */
  resourceVersion(): string {
    return String(this.rv);
  }

  private bucket(kind: string): Map<string, K8sObject> {
    let b = this.objects.get(kind);
    if (!b) {
      b = new Map();
      this.objects.set(kind, b);
    }
    return b;
  }

  private ns(kind: string, namespace: string | undefined): string | undefined {
    const info = kindInfo(kind);
    if (info && !info.namespaced) return undefined;
    return namespace || 'default';
  }

  private key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    const o = this.objects.get(kind)?.get(this.key(this.ns(kind, namespace), name));
    return o ? clone(o) : undefined;
  }

  /** Objects of a kind, in one namespace or all (namespace undefined), sorted by namespace then name. */
  list(kind: string, namespace?: string, selector?: { labels?: string; fields?: string }): K8sObject[] {
    return this.listShared(kind, namespace, selector).map(clone);
  }

  /**
   * Like `list` but returns the stored objects themselves, without copying: for read-only paths that serialise
   * or inspect many objects (API lists, metrics). Callers must not mutate them.
   */
  listShared(kind: string, namespace?: string, selector?: { labels?: string; fields?: string }): readonly K8sObject[] {
    const match = compileSelector(selector);
    const ns = kindInfo(kind)?.namespaced === false ? undefined : namespace;
    const out: [string, K8sObject][] = [];
    for (const [key, o] of this.objects.get(kind) ?? [])
      if ((ns === undefined || o.metadata.namespace === ns) && match(o)) out.push([key, o]);
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.map((e) => e[1]);
  }

  create(input: K8sObject, opts: WriteOptions = {}): K8sObject {
    const obj = clone(input);
    const meta = obj.metadata ?? ({ name: '' } as ObjectMeta);
    obj.metadata = meta;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    const namespace = this.ns(obj.kind, meta.namespace);
    if (namespace === undefined) delete meta.namespace;
    else meta.namespace = namespace;
    validate(obj);
    if (
      namespace !== undefined &&
      obj.kind !== 'Namespace' &&
      !this.objects.get('Namespace')?.has(this.key(undefined, namespace))
    )
      throw notFound(resourceRef('Namespace'), namespace);
    const b = this.bucket(obj.kind);
    const key = this.key(namespace, meta.name);
    if (b.has(key)) throw alreadyExists(resourceRef(obj.kind), meta.name);
    applyDefaults(obj, () => this.nextClusterIp());
    meta.uid = randomUUID();
    jobOnCreate(obj, meta.uid);
    meta.creationTimestamp = rfc3339(this.clock.now());
    meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    if (opts.dryRun) return obj;
    meta.resourceVersion = String(++this.rv);
    b.set(key, obj);
    this.emit('ADDED', obj);
    return clone(obj);
  }

  /** Replaces an object (spec, metadata and, when given, status); generation moves only when spec changes. */
  update(input: K8sObject, opts: WriteOptions = {}): K8sObject {
    const obj = clone(input);
    const namespace = this.ns(obj.kind, obj.metadata?.namespace);
    const name = obj.metadata?.name;
    if (!name) throw badRequest('name is required for update');
    const b = this.bucket(obj.kind);
    const key = this.key(namespace, name);
    const cur = b.get(key);
    if (!cur) throw notFound(resourceRef(obj.kind), name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion)
      throw conflict(resourceRef(obj.kind), name);
    if (namespace === undefined) delete obj.metadata.namespace;
    else obj.metadata.namespace = namespace;
    validate(obj);
    validateUpdate(cur, obj, (name) => this.objects.get('StorageClass')?.get(this.key(undefined, name)));
    applyDefaults(obj, () => this.nextClusterIp());
    if (obj.status === undefined && cur.status !== undefined) obj.status = cur.status;
    obj.metadata.uid = cur.metadata.uid;
    obj.metadata.creationTimestamp = cur.metadata.creationTimestamp;
    const specChanged = JSON.stringify(obj.spec) !== JSON.stringify(cur.spec);
    obj.metadata.generation = (cur.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    if (opts.dryRun) return obj;
    obj.metadata.resourceVersion = String(++this.rv);
    b.set(key, obj);
    this.emit('MODIFIED', obj);
    return clone(obj);
  }

  updateStatus(
    kind: string,
    namespace: string | undefined,
    name: string,
    status: unknown,
    opts: WriteOptions = {},
  ): K8sObject {
    const ns = this.ns(kind, namespace);
    const b = this.bucket(kind);
    const cur = b.get(this.key(ns, name));
    if (!cur) throw notFound(resourceRef(kind), name);
    const obj = clone(cur);
    obj.status = clone(status) as Record<string, unknown>;
    if (opts.dryRun) return obj;
    obj.metadata.resourceVersion = String(++this.rv);
    b.set(this.key(ns, name), obj);
    this.emit('MODIFIED', obj);
    return clone(obj);
  }

  /** Deletes an object and (as the garbage collector would) everything it owns; a namespace takes its contents. */
  delete(kind: string, namespace: string | undefined, name: string, opts: WriteOptions = {}): K8sObject | undefined {
    const ns = this.ns(kind, namespace);
    const b = this.objects.get(kind);
    const key = this.key(ns, name);
    const cur = b?.get(key);
    if (!b || !cur) return undefined;
    const gone = clone(cur);
    gone.metadata.deletionTimestamp = rfc3339(this.clock.now());
    if (opts.dryRun) return gone;
    b.delete(key);
    gone.metadata.resourceVersion = String(++this.rv);
    if (kind === 'Pod' && ns) this.logBook.dropPod(ns, name);
    this.emit('DELETED', gone);
    const uid = cur.metadata.uid;
    for (const [k, bucket] of this.objects)
      for (const o of [...bucket.values()]) {
        const owned = o.metadata.ownerReferences?.some((r) => r.uid === uid);
        const inNs = kind === 'Namespace' && o.metadata.namespace === name;
        if (owned || inNs) this.delete(k, o.metadata.namespace, o.metadata.name);
      }
    return gone;
  }

  subscribe(listener: (ev: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after resourceVersion `rv`; undefined when they are older than the kept history (410 Gone). */
  eventsSince(rv: number): StoredWatchEvent[] | undefined {
    const first = this.history[0];
    if (rv >= this.rv) return [];
    if (!first || rv < first.rv - 1) return undefined;
    return this.history.filter((e) => e.rv > rv).map(clone);
  }

  private emit(type: WatchEventType, obj: K8sObject): void {
    const ev: StoredWatchEvent = { type, object: clone(obj), rv: this.rv };
    this.history.push(ev);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    for (const l of [...this.listeners]) {
      try {
        l({ type, object: clone(obj) });
      } catch {
        // A failing watcher must not break a write.
      }
    }
  }

  private nextClusterIp(): string {
    const n = this.ipSeq++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  /** Records a core/v1 Event about `involved`; repeats of the same reason bump count and lastTimestamp. */
  recordEvent(involved: K8sObject, reason: string, message: string, type: EventType = 'Normal'): void {
    const now = rfc3339(this.clock.now());
    const key = eventKey(involved, reason, message, type);
    const known = this.eventNames.get(key);
    const same = known ? this.objects.get('Event')?.get(this.key(known.namespace, known.name)) : undefined;
    if (same) {
      this.update({ ...clone(same), count: Number(same.count ?? 1) + 1, lastTimestamp: now });
      return;
    }
    const created = this.create(newEvent(involved, reason, message, type, now));
    this.eventNames.set(key, { namespace: created.metadata.namespace, name: created.metadata.name });
  }

  appendLog(namespace: string, pod: string, container: string, line: string): void {
    this.logBook.append(namespace, pod, container, line);
  }

  rotateLogs(namespace: string, pod: string, container: string): void {
    this.logBook.rotate(namespace, pod, container);
  }

  logs(namespace: string, pod: string, container: string, opts?: LogOptions): string | undefined {
    return this.logBook.read(namespace, pod, container, opts);
  }
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
function randomSuffix(n = 5): string {
  return [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
}
