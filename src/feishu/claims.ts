/**
 * Claims of inbound events, group-committed (store/group-commit.ts): every claim that arrives while the event
 * loop is busy is written in one SQLite transaction, and each delivery is answered only after its claim is
 * committed. Completions (`handled`) ride in the same transactions; they need no answer.
 */
import { GroupCommit } from '../store/group-commit.js';
import type { Store } from '../store/index.js';

type Write =
  | { kind: 'claim'; id: string; type: string; payload: string; now: number }
  | { kind: 'handled'; id: string };

export class EventClaims {
  private readonly commits: GroupCommit<Write, boolean>;

  constructor(store: Store) {
    this.commits = new GroupCommit({
      tx: (fn) => store.tx(fn),
      write: (items) => {
        // Completions first, as they were recorded before the claims that follow them.
        for (const w of items) if (w.kind === 'handled') store.events.markHandled(w.id);
        return items.map((w) => (w.kind === 'claim' ? store.events.claim(w.id, w.type, w.payload, w.now) : true));
      },
    });
  }

  /** Resolves `true` for a new event, `false` for a redelivery, once the claim is committed. */
  claim(id: string, kind: string, payload: string, now: number): Promise<boolean> {
    return this.commits.add({ kind: 'claim', id, type: kind, payload, now });
  }

  markHandled(id: string): void {
    this.commits.add({ kind: 'handled', id }).catch(() => {
      // the event stays "received" and is resumed at the next start
    });
  }

  /** Writes whatever is pending now (also used before stopping). */
  flush(): void {
    this.commits.flushAll();
  }
}
