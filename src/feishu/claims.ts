/**
 * Group commit for inbound events: every claim that arrives while the event loop is busy is written in one
 * SQLite transaction, and each delivery is answered only after its claim is committed. Under a burst this
 * turns hundreds of commits into a few, without ever acknowledging an event that is not stored.
 * Completions (`handled`) are batched the same way; they need no answer.
 */
import type { Store } from '../store/index.js';

interface PendingClaim {
  id: string;
  kind: string;
  payload: string;
  now: number;
  resolve: (fresh: boolean) => void;
  reject: (err: unknown) => void;
}

export class EventClaims {
  private claims: PendingClaim[] = [];
  private handled: string[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  /** Resolves `true` for a new event, `false` for a redelivery, once the claim is committed. */
  claim(id: string, kind: string, payload: string, now: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.claims.push({ id, kind, payload, now, resolve, reject });
      this.schedule();
    });
  }

  markHandled(id: string): void {
    this.handled.push(id);
    this.schedule();
  }

  /** Writes whatever is pending now (also used before stopping). */
  flush(): void {
    this.scheduled = false;
    const claims = this.claims;
    const handled = this.handled;
    this.claims = [];
    this.handled = [];
    if (claims.length === 0 && handled.length === 0) return;
    let results: boolean[];
    try {
      results = this.store.tx(() => {
        for (const id of handled) this.store.events.markHandled(id);
        return claims.map((c) => this.store.events.claim(c.id, c.kind, c.payload, c.now));
      });
    } catch (err) {
      for (const c of claims) c.reject(err);
      return;
    }
    claims.forEach((c, i) => {
      c.resolve(results[i] as boolean);
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
