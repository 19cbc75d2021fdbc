import type { Clock } from '../../ports/clock.js';
import type { ImageCatalog } from './images.js';
import { canonical, type Rng } from './objects.js';
import type { ClusterStore, K8sObject } from './store.js';
import { rfc3339 } from './time.js';

/** Faults that live in running processes rather than in objects: a restart (new pod) clears them. */
export interface Faults {
  /** Pod uids whose containers crash on every start (a stuck connection pool, a corrupted cache…). */
  crashingPods: Set<string>;
}

/** What every controller of the simulated control plane shares. */
export class WorldContext {
  private readonly lastSeen = new Map<string, number>();
  private readonly cache = new Map<string, K8sObject[]>();

  /** Failures caught by `guard` so far. */
  errors = 0;
  /** Told about each failure `guard` catches. */
  onError: ((where: string, err: unknown) => void) | undefined;

  constructor(
    readonly store: ClusterStore,
    readonly clock: Clock,
    readonly rng: Rng,
    readonly images: ImageCatalog,
    readonly faults: Faults,
  ) {
    store.subscribe((ev) => this.cache.delete(ev.object.kind));
  }

  /**
   * Objects of a kind (optionally in one namespace), read once and shared until that kind is written again.
   * Callers treat them as read-only snapshots and write through the store.
   */
  list(kind: string, namespace?: string): K8sObject[] {
    let all = this.cache.get(kind);
    if (!all) {
      all = this.store.list(kind);
      this.cache.set(kind, all);
    }
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /** Runs one object's reconciliation; a failure is reported and skipped so the others still converge. */
  guard(where: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.errors++;
      this.onError?.(where, err);
    }
  }

  now(): number {
    return this.clock.now();
  }

  ts(offsetMs = 0): string {
    return rfc3339(this.clock.now() + offsetMs);
  }

  /** True at most once per `everyMs` for `key` (repeated events are counted, not spammed). */
  due(key: string, everyMs: number): boolean {
    const last = this.lastSeen.get(key);
    if (last !== undefined && this.now() - last < everyMs) return false;
    this.lastSeen.set(key, this.now());
    return true;
  }

  forget(prefix: string): void {
    for (const k of [...this.lastSeen.keys()]) if (k.startsWith(prefix)) this.lastSeen.delete(k);
  }

  event(
    involved: K8sObject,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning' = 'Normal',
    everyMs = 0,
  ): void {
    if (everyMs > 0 && !this.due(`${involved.metadata.uid}|${reason}|${message}`, everyMs)) return;
    this.store.recordEvent(involved, reason, message, type);
  }

  /** Writes `status` only when it differs, so watchers see changes and not churn. */
  setStatus(o: K8sObject, status: unknown): void {
    if (canonical(o.status) === canonical(status)) return;
    this.store.updateStatus(o.kind, o.metadata.namespace, o.metadata.name, status);
  }

  /** Re-reads an object, applies `fn` to metadata/spec and writes it back (no-op when unchanged or gone). */
  modify(kind: string, namespace: string | undefined, name: string, fn: (o: K8sObject) => void): K8sObject | undefined {
    const cur = this.store.get(kind, namespace, name);
    if (!cur) return undefined;
    const before = canonical({ m: cur.metadata, s: cur.spec });
    fn(cur);
    if (canonical({ m: cur.metadata, s: cur.spec }) === before) return cur;
    delete cur.metadata.resourceVersion;
    return this.store.update(cur);
  }
}
