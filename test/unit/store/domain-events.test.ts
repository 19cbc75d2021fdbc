import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/shared/domain-events.js';
import { Store } from '../../../src/store/index.js';

const T0 = Date.parse('2026-11-25T08:00:00Z');
const newIncident = {
  groupKey: 'k',
  title: 't',
  priority: 'P2' as const,
  chatId: 'oc_1',
  namespace: null,
  cluster: null,
  labels: {},
  resources: [],
};

function recording(store: Store) {
  const batches: DomainEvent[][] = [];
  store.bus.subscribe((events) => batches.push([...events]));
  return batches;
}

describe('domain events', () => {
  it('are published once the transaction commits, as one batch, and carry ids', () => {
    const store = Store.open(':memory:');
    const batches = recording(store);
    store.tx(() => {
      const inc = store.incidents.create(newIncident, T0);
      store.timeline.add(inc.id, { kind: 'opened', detail: { priority: 'P2' } }, 'system', T0);
      store.incidents.update(inc.id, { lastSeen: T0 + 1 });
      expect(batches).toEqual([]); // nothing is told before the commit
    });
    expect(batches).toEqual([
      [
        { type: 'incident.opened', incidentId: 1 },
        { type: 'timeline.added', incidentId: 1, entryId: 1, kind: 'opened' },
        { type: 'incident.changed', incidentId: 1 },
      ],
    ]);
  });

  it('a rolled-back transaction announces nothing; a failed savepoint drops only its own events', () => {
    const store = Store.open(':memory:');
    const batches = recording(store);
    expect(() =>
      store.tx(() => {
        store.incidents.create(newIncident, T0);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(batches).toEqual([]);
    store.tx(() => {
      store.incidents.create(newIncident, T0);
      try {
        store.tx(() => {
          store.incidents.create(newIncident, T0);
          throw new Error('inner');
        });
      } catch {}
    });
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(1);
    expect(store.incidents.list()).toHaveLength(1);
  });

  it('a subscriber that throws does not keep the others from hearing', () => {
    const errors: unknown[] = [];
    const store = new Store(Store.open(':memory:').db, { onSubscriberError: (e) => errors.push(e) });
    store.bus.subscribe(() => {
      throw new Error('broken subscriber');
    });
    const batches = recording(store);
    store.incidents.create(newIncident, T0);
    expect(batches).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});
