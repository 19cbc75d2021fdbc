import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../src/alerts/route-table.js';
import { AlertIntake } from '../../../src/incidents/alert-intake.js';
import type { Store } from '../../../src/store/index.js';
import { alert, body, type Harness, harness } from '../../helpers/alerts.js';

class ExplodingRouter extends RouteTable {
  override decide(labels: Record<string, string>) {
    if (labels.alertname === 'Boom') throw new Error('boom');
    return super.decide(labels);
  }
}

/** Makes routing each alert cost `ms` on the returned clock, which stands in for the intake's own. */
function slowRouting(h: Harness, ms: number): () => number {
  let spent = 0;
  h.routes = new (class extends RouteTable {
    override decide(labels: Record<string, string>) {
      spent += ms;
      return super.decide(labels);
    }
  })(h.config.file, 'oc_default');
  return () => spent + performance.now();
}

const pending = (store: Store) =>
  (store.db.prepare('SELECT id FROM alert_webhooks WHERE processed_at IS NULL').all() as { id: number }[]).length;

describe('AlertIntake (durable inbox)', () => {
  it('stores bodies that arrive together in one commit, then applies them in order', async () => {
    const h = harness();
    let changed = 0;
    h.store.bus.subscribe(() => changed++);
    const slices: number[] = [];
    const intake = new AlertIntake(h, { sliceMs: 10_000, onSlice: (s) => slices.push(s.bodies) });
    intake.start();
    const firing = alert({ alertname: 'A', namespace: 'shop', deployment: 'a', severity: 'warning' });
    const ids = await Promise.all([
      intake.accept(body([firing]), '{"a":1}'),
      intake.accept(
        body([alert({ alertname: 'B', namespace: 'shop', deployment: 'b', severity: 'warning' })]),
        '{"b":1}',
      ),
      intake.accept(body([{ ...firing, status: 'resolved', endsAt: '2026-11-25T08:10:00Z' }]), '{"a":2}'),
    ]);
    expect(ids).toEqual([1, 2, 3]);
    await intake.idle();
    expect(pending(h.store)).toBe(0);
    // The resolution was applied after the firing alert it resolves: arrival order is kept.
    const [a, b] = h.store.incidents.list().sort((x, y) => x.id - y.id);
    expect(a?.status).toBe('resolved');
    expect(b?.status).toBe('open');
    expect(slices).toEqual([3]); // one slice, one transaction, one wake-up
    expect(changed).toBe(1);
  });

  it('settles an incident once for all the bodies of a slice that touched it', async () => {
    const h = harness();
    const intake = new AlertIntake(h, { sliceMs: 10_000 });
    const names = ['KubePodCrashLooping', 'KubePodNotReady', 'KubeContainerWaiting'];
    for (const alertname of names) {
      const b = body([alert({ alertname, namespace: 'shop', deployment: 'checkout', severity: 'warning' })]);
      await intake.accept(b, JSON.stringify(b));
    }
    intake.start();
    await intake.idle();
    const [inc] = h.store.incidents.list();
    const kinds = h.store.timeline.list(inc?.id as number).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'alerts_joined')).toHaveLength(1);
    expect(h.store.alerts.byIncident(inc?.id as number).map((a) => a.alertname)).toEqual(names);
    expect(h.messages({ kind: 'send_card' })).toHaveLength(1);
  });

  it('a body that fails to apply is rolled back alone and kept with its error', async () => {
    const h = harness();
    h.routes = new ExplodingRouter(h.config.file, 'oc_default');
    const intake = new AlertIntake(h);
    intake.start();
    await intake.accept(
      body([alert({ alertname: 'A', namespace: 'shop', deployment: 'a', severity: 'warning' })]),
      '{"a":1}',
    );
    await intake.accept(
      body([
        alert({ alertname: 'B', namespace: 'shop', deployment: 'b', severity: 'warning' }),
        alert({ alertname: 'Boom', namespace: 'shop', deployment: 'c', severity: 'warning' }),
      ]),
      '{"bad":1}',
    );
    await intake.accept(
      body([alert({ alertname: 'C', namespace: 'shop', deployment: 'd', severity: 'warning' })]),
      '{"c":1}',
    );
    await intake.idle();
    const rows = h.store.db
      .prepare('SELECT body, processed_at IS NOT NULL AS done, attempts, error FROM alert_webhooks ORDER BY id')
      .all();
    expect(rows).toEqual([
      { body: '{"a":1}', done: 1, attempts: 0, error: null },
      { body: '{"bad":1}', done: 0, attempts: 1, error: 'boom' },
      { body: '{"c":1}', done: 1, attempts: 0, error: null },
    ]);
    // Nothing of the failed body was applied, not even its first alert.
    expect(h.store.alerts.count()).toBe(2);
    expect(h.store.incidents.list()).toHaveLength(2);
  });

  it('a body stored before a crash is applied at the next start, exactly once', async () => {
    const h = harness();
    const before = new AlertIntake(h); // accepts but never started: the process "died" before applying
    const b = body([alert({ alertname: 'A', namespace: 'shop', deployment: 'a', severity: 'critical' })]);
    await before.accept(b, JSON.stringify(b));
    expect(h.store.incidents.list()).toHaveLength(0);
    expect(pending(h.store)).toBe(1);

    const after = new AlertIntake(h);
    after.start();
    await after.idle();
    expect(h.store.incidents.list()).toHaveLength(1);
    expect(h.messages({ kind: 'send_card' })).toHaveLength(1);
    const again = new AlertIntake(h);
    again.start();
    await again.idle();
    expect(h.store.incidents.list()).toHaveLength(1);
    expect(h.messages({ kind: 'send_card' })).toHaveLength(1);
  });

  it('applies a body as of when it was received, however long it waited', async () => {
    const h = harness();
    const receivedAt = h.clock.now();
    const before = new AlertIntake(h);
    const b = body([
      alert({ alertname: 'A', namespace: 'shop', deployment: 'a', severity: 'critical' }),
      alert({ alertname: 'Watchdog', severity: 'none' }),
    ]);
    await before.accept(b, JSON.stringify(b));
    await h.clock.advance(7 * 60_000); // the process was down for seven minutes
    const after = new AlertIntake(h);
    after.start();
    await after.idle();
    const [inc] = h.store.incidents.list();
    expect(inc?.firstSeen).toBe(receivedAt);
    expect(h.store.heartbeats.get('Watchdog')?.lastSeen).toBe(receivedAt);
    expect(h.store.timeline.list(inc?.id as number)[0]?.at).toBe(receivedAt);
  });

  it('a failing body is retried at start until it has failed maxAttempts times', async () => {
    const h = harness();
    h.routes = new ExplodingRouter(h.config.file, 'oc_default');
    const boom = body([alert({ alertname: 'Boom', namespace: 'shop', deployment: 'c', severity: 'warning' })]);
    const first = new AlertIntake(h, { maxAttempts: 2 });
    first.start();
    await first.accept(boom, JSON.stringify(boom));
    await first.idle();
    const second = new AlertIntake(h, { maxAttempts: 2 });
    second.start();
    expect(second.backlog).toBe(1);
    await second.idle();
    const third = new AlertIntake(h, { maxAttempts: 2 });
    third.start();
    expect(third.backlog).toBe(0);
    expect(h.store.db.prepare('SELECT attempts FROM alert_webhooks').get()).toEqual({ attempts: 2 });
  });

  it('bodies beyond the in-memory cache are read back from SQLite', async () => {
    const h = harness();
    const intake = new AlertIntake(h, { maxCachedAlerts: 1 });
    const bodies = [0, 1, 2].map((i) =>
      body([alert({ alertname: `A${i}`, namespace: 'shop', deployment: `d${i}`, severity: 'warning' })]),
    );
    for (const b of bodies) await intake.accept(b, JSON.stringify(b));
    intake.start();
    await intake.idle();
    expect(h.store.alerts.count()).toBe(3);
    expect(h.store.incidents.list()).toHaveLength(3);
  });

  it('keeps slices short under a backlog so requests get in between', async () => {
    const h = harness();
    const slices: number[] = [];
    const intake = new AlertIntake(h, { sliceMs: 0, onSlice: (s) => slices.push(s.bodies) });
    for (let i = 0; i < 5; i++) {
      const b = body([alert({ alertname: `A${i}`, namespace: 'shop', deployment: `d${i}`, severity: 'warning' })]);
      await intake.accept(b, JSON.stringify(b));
    }
    intake.start();
    await intake.idle();
    expect(slices).toEqual([1, 1, 1, 1, 1]);
  });

  it('while bodies keep arriving, rests between slices so applying keeps to its share', async () => {
    const h = harness();
    // Every alert costs 50 ms of the intake's clock to apply; with a share of 0.25 that earns a 150 ms rest.
    const elapsed = slowRouting(h, 50);
    const intake = new AlertIntake(h, { applyShare: 0.25, elapsed });
    intake.start();
    const mk = (i: number) =>
      body([alert({ alertname: `A${i}`, namespace: 'shop', deployment: `d${i}`, severity: 'warning' })]);
    const a = mk(1);
    await intake.accept(a, JSON.stringify(a));
    await new Promise((r) => setImmediate(r));
    expect(intake.backlog).toBe(0); // applied at once
    const b = mk(2);
    await intake.accept(b, JSON.stringify(b));
    await new Promise((r) => setTimeout(r, 20));
    expect(intake.backlog).toBe(1); // still resting: the acknowledgement did not wait for it
    await intake.idle();
    expect(h.store.incidents.list()).toHaveLength(2);
  });

  it('with nothing arriving, slices follow each other without rest', async () => {
    const h = harness();
    const elapsed = slowRouting(h, 50);
    const intake = new AlertIntake(h, { sliceMs: 1, elapsed });
    for (let i = 0; i < 3; i++) {
      const b = body([alert({ alertname: `A${i}`, namespace: 'shop', deployment: `d${i}`, severity: 'warning' })]);
      await intake.accept(b, JSON.stringify(b));
    }
    intake.start();
    // Resumed bodies are not contending arrivals: three one-body slices, one macrotask apart.
    for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
    expect(intake.backlog).toBe(0);
  });

  it('refuses bodies beyond the backlog limit with a retryable error, and takes them again once applied', async () => {
    const h = harness();
    const intake = new AlertIntake(h, { maxBacklog: 2 });
    const mk = (i: number) => body([alert({ alertname: `A${i}`, namespace: 'shop', deployment: `d${i}` })]);
    await intake.accept(mk(1), JSON.stringify(mk(1)));
    await intake.accept(mk(2), JSON.stringify(mk(2)));
    await expect(intake.accept(mk(3), '{}')).rejects.toMatchObject({
      code: 'unavailable',
      detail: { backlog: 2, retryAfterSeconds: 30 },
    });
    expect(h.store.alerts.webhookCount()).toBe(2); // the refused body was not stored
    intake.start();
    await intake.idle();
    await expect(intake.accept(mk(3), JSON.stringify(mk(3)))).resolves.toBe(3);
  });

  it('stop applies what it can within its budget and refuses new bodies', async () => {
    const h = harness();
    const intake = new AlertIntake(h);
    intake.start();
    const accepted = intake.accept(body([alert({ alertname: 'A', namespace: 'shop', deployment: 'a' })]), '{}');
    await intake.stop();
    await expect(accepted).resolves.toBe(1);
    expect(pending(h.store)).toBe(0);
    await expect(intake.accept(body([]), '{}')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
