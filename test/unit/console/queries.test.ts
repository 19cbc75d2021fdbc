import { beforeEach, describe, expect, it } from 'vitest';
import { listAlertGroups, parseMatchers } from '../../../src/console/queries/alerts.js';
import { AuditFilterSchema, auditCsv, csvCell, listAudit } from '../../../src/console/queries/audit.js';
import { IncidentFilterSchema, listIncidents } from '../../../src/console/queries/incidents.js';
import { formatDuration, overview, startOfDay, startOfWeek } from '../../../src/console/queries/overview.js';
import { Store } from '../../../src/store/index.js';

const NOW = Date.parse('2026-11-25T08:00:00Z'); // a Wednesday; 16:00 in Shanghai

function seed(store: Store) {
  const mk = (i: number, over: Partial<Parameters<Store['incidents']['create']>[0]> = {}) =>
    store.incidents.create(
      {
        groupKey: `g${i}`,
        title: `Incident ${i}`,
        priority: (['P0', 'P1', 'P2', 'P3'] as const)[i % 4] ?? 'P2',
        chatId: null,
        namespace: i % 2 ? 'shop' : 'pay',
        cluster: 'prod',
        labels: { alertname: i % 3 ? 'KubePodCrashLooping' : 'TargetDown', team: i === 7 ? '100%_sure' : 'core' },
        resources: [],
        ...over,
      },
      NOW - (20 - i) * 60_000,
    );
  for (let i = 1; i <= 20; i++) mk(i);
}

describe('incident list', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(':memory:');
    seed(store);
  });

  const list = (q: Record<string, string>, size = 50) => listIncidents(store, IncidentFilterSchema.parse(q), size);

  it('filters by status, priority, namespace and cluster, newest first', () => {
    store.incidents.update(3, { status: 'resolved' });
    const r = list({ status: 'active', namespace: 'shop', priority: 'P3' });
    expect(r.rows.map((x) => x.id)).toEqual([19, 15, 11, 7]);
    expect(list({ status: 'resolved' }).rows.map((x) => x.id)).toEqual([3]);
    expect(list({ cluster: 'other' }).total).toBe(0);
  });

  it('searches titles and labels word by word, % and _ taken literally', () => {
    expect(list({ q: 'targetdown' }).total).toBe(6);
    expect(list({ q: 'TargetDown incident 1' }).rows.map((x) => x.id)).toEqual([18, 15, 12]);
    expect(list({ q: '100%_' }).rows.map((x) => x.id)).toEqual([7]);
    expect(list({ q: '%' }).rows.map((x) => x.id)).toEqual([7]);
  });

  it('pages on the server and clamps a page past the end', () => {
    const p2 = list({ page: '2' }, 8);
    expect(p2).toMatchObject({ total: 20, page: 2, pages: 3 });
    expect(p2.rows.map((x) => x.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5]);
    expect(list({ page: '99' }, 8).page).toBe(3);
    expect(list({ page: 'abc' }, 8).page).toBe(1);
  });

  it('filters by time and refuses a date it cannot read', () => {
    expect(list({ since: String(NOW - 5 * 60_000) }).total).toBe(6);
    expect(list({ until: String(NOW - 15 * 60_000) }).total).toBe(4);
    // A calendar day is the whole day in the bot's zone: 2026-11-25 in Shanghai began at 2026-11-24T16:00Z.
    const day = (q: Record<string, string>, tz: string) =>
      listIncidents(store, IncidentFilterSchema.parse(q), 50, tz).total;
    expect(day({ since: '2026-11-25', until: '2026-11-25' }, 'Asia/Shanghai')).toBe(20);
    expect(day({ until: '2026-11-24' }, 'Asia/Shanghai')).toBe(0);
    expect(day({ since: '2026-11-26' }, 'UTC')).toBe(0);
    expect(IncidentFilterSchema.safeParse({ since: 'last tuesday' }).success).toBe(false);
    expect(IncidentFilterSchema.safeParse({ status: 'nope' }).success).toBe(false);
  });
});

describe('overview figures', () => {
  it('counts open incidents by priority and averages MTTA and MTTR since the start of the day', () => {
    const store = Store.open(':memory:');
    seed(store);
    store.incidents.update(1, { status: 'acknowledged', ackedAt: NOW - 19 * 60_000 + 60_000 });
    store.incidents.update(2, { status: 'resolved', ackedAt: NOW - 18 * 60_000 + 180_000, resolvedAt: NOW });
    const o = overview(store, NOW, 'Asia/Shanghai');
    expect(o.openByPriority).toEqual({ P0: 5, P1: 5, P2: 4, P3: 5 });
    expect(o.mtta.today).toBe(120_000);
    expect(o.mttr.today).toBe(18 * 60_000);
    expect(o.alertRate).toHaveLength(24);
    expect(o.runbooks).toEqual({ total: 0, ok: 0 });
  });

  it('starts days and weeks (Monday) in the time zone', () => {
    expect(new Date(startOfDay(NOW, 'Asia/Shanghai')).toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(new Date(startOfDay(NOW, 'UTC')).toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(new Date(startOfWeek(NOW, 'Asia/Shanghai')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(new Date(startOfWeek(NOW, 'America/New_York')).toISOString()).toBe('2026-11-23T05:00:00.000Z');
  });

  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(95_000)).toBe('1m 35s');
    expect(formatDuration(2 * 3_600_000 + 60_000)).toBe('2h 1m');
    expect(formatDuration(50 * 3_600_000)).toBe('2d 2h');
  });
});

describe('alert matchers', () => {
  it('splits at commas outside quotes and reports the one it cannot read', () => {
    const r = parseMatchers('namespace="shop, pay", severity=~"crit.*"');
    expect(r.ok && r.matchers.map((m) => `${m.name}${m.op}${m.value}`)).toEqual([
      'namespace=shop, pay',
      'severity=~crit.*',
    ]);
    expect(parseMatchers('')).toEqual({ ok: true, matchers: [] });
    expect(parseMatchers('namespace="shop", what is this')).toEqual({ ok: false, bad: 'what is this' });
    expect(parseMatchers('a=~"("')).toEqual({ ok: false, bad: 'a=~"("' });
  });

  it('groups alerts by fingerprint (episodes counted) and filters them by labels', () => {
    const store = Store.open(':memory:');
    const alert = (fp: string, startsAt: string, labels: Record<string, string>, at: number) =>
      store.alerts.upsert(
        {
          fingerprint: fp,
          startsAt,
          alertname: labels.alertname ?? 'X',
          status: 'firing',
          severity: labels.severity ?? null,
          priority: null,
          labels,
          annotations: {},
          endsAt: null,
          generatorUrl: null,
        },
        at,
      );
    alert('a', '2026-11-25T07:00:00Z', { alertname: 'A', namespace: 'shop', severity: 'critical' }, NOW - 3000);
    alert('a', '2026-11-25T07:30:00Z', { alertname: 'A', namespace: 'shop', severity: 'critical' }, NOW - 1000);
    alert('b', '2026-11-25T07:00:00Z', { alertname: 'B', namespace: 'shop', severity: 'warning' }, NOW - 2000);
    alert('c', '2026-11-25T07:00:00Z', { alertname: 'C', namespace: 'pay', severity: 'critical' }, NOW);
    const all = listAlertGroups(store, [], 1);
    expect(all.rows.map((g) => [g.fingerprint, g.episodes])).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 1],
    ]);
    const m = parseMatchers('namespace="shop", severity=~"crit.*"');
    if (!m.ok) throw new Error('matchers');
    expect(listAlertGroups(store, m.matchers, 1).rows.map((g) => g.fingerprint)).toEqual(['a']);
  });
});

describe('audit log', () => {
  it('filters by actor, action prefix and decision, and exports CSV with secrets masked', () => {
    const store = Store.open(':memory:');
    store.audit.record(
      { actor: 'ou_a', action: 'incident.ack', target: 'incident:1', decision: 'done', detail: {} },
      NOW,
    );
    store.audit.record(
      {
        actor: 'ou_b',
        action: 'incident.resolve',
        target: 'incident:1',
        decision: 'denied',
        detail: { note: 'a, "quoted" note', token: 'abc123secret' },
      },
      NOW,
    );
    store.audit.record(
      { actor: 'ou_a', action: 'approval.decide', target: 'approval:x', decision: 'done', detail: {} },
      NOW,
    );
    const f = (q: Record<string, string>) => AuditFilterSchema.parse(q);
    expect(listAudit(store, f({ action: 'incident.' })).total).toBe(2);
    expect(listAudit(store, f({ actor: 'ou_a', decision: 'done' })).rows.map((r) => r.action)).toEqual([
      'approval.decide',
      'incident.ack',
    ]);
    const csv = [...auditCsv(store, f({ action: 'incident.resolve' }))].join('');
    expect(csv.split('\r\n')[0]).toBe('id,time,actor,action,target,decision,detail');
    expect(csv).toContain('"{""note"":""a, \\""quoted\\"" note""');
    expect(csv).not.toContain('abc123secret');
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1')).toBe("'-1");
  });
});
