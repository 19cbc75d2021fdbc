/** The engine over recorded objects: collapsing, folding, ranking, logs, scopes and the card's size. */
import { describe, expect, it } from 'vitest';
import { renderDiagnosisCard } from '../../../src/cards/diagnosis.js';
import { cardBytes } from '../../../src/cards/size.js';
import { diagnose } from '../../../src/diagnosis/engine.js';
import { explainingLines } from '../../../src/diagnosis/logs.js';
import { parseTarget } from '../../../src/diagnosis/scope.js';
import { ClusterReadError } from '../../../src/ports/cluster.js';
import { translator } from '../../../src/shared/i18n.js';
import { NOW, pod, type Recorded, recordedReader } from './recorded.js';

const t = translator('en-US');
const clock = { now: () => NOW };

function crashing(name: string, owner: string, app: string) {
  return pod(name, {
    labels: { app },
    owner,
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: `registry.example.com/shop/${app}:1.0.0` }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 9,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ],
    },
  });
}

function workload(app: string, pods: number): Recorded {
  return {
    deployment: [
      {
        metadata: { name: app, namespace: 'shop', uid: `u-${app}` },
        spec: { replicas: pods, selector: { matchLabels: { app } } },
        status: { availableReplicas: 0 },
      },
    ],
    replicaset: [
      {
        metadata: {
          name: `${app}-6f`,
          namespace: 'shop',
          ownerReferences: [{ kind: 'Deployment', name: app, uid: `u-${app}` }],
        },
        spec: { replicas: pods },
      },
    ],
    service: [{ metadata: { name: app, namespace: 'shop' }, spec: { selector: { app }, ports: [{ port: 80 }] } }],
    endpoints: [{ metadata: { name: app, namespace: 'shop' }, subsets: [] }],
    pod: Array.from({ length: pods }, (_, i) => crashing(`${app}-6f-${i}`, `${app}-6f`, app)),
  };
}

function merge(...rs: Recorded[]): Recorded {
  const out: Record<string, unknown[]> = {};
  for (const r of rs) for (const [k, v] of Object.entries(r)) out[k] = [...(out[k] ?? []), ...(v ?? [])];
  return out;
}

describe('diagnose', () => {
  it('ten crash-looping pods of one deployment are one finding; its Service and availability fold under it', async () => {
    const reader = recordedReader(workload('checkout', 10), {
      'shop/checkout-6f-0/app/previous': [
        'INFO starting',
        'ERROR connect ECONNREFUSED 10.0.0.9:5432',
        'ERROR connect ECONNREFUSED 10.0.0.9:5432',
        'FATAL DATABASE_URL is not set',
        'password=hunter2hunter2',
      ],
    });
    const d = await diagnose({ kind: 'namespace', cluster: '', namespace: 'shop' }, { reader, clock, t });
    expect(d.findings).toHaveLength(1);
    const [f] = d.findings;
    expect(f).toMatchObject({
      pattern: 'pod.crash_loop',
      affectedCount: 10,
      resource: { kind: 'deployment', name: 'checkout' },
    });
    expect(f?.affected).toHaveLength(10);
    expect(f?.folded.map((x) => x.pattern).sort()).toEqual(['deployment.unavailable', 'service.not_ready_endpoints']);
    const log = f?.evidence.find((e) => e.type === 'log');
    expect(log).toMatchObject({
      previous: true,
      lines: ['ERROR connect ECONNREFUSED 10.0.0.9:5432', 'FATAL DATABASE_URL is not set'],
    });
    // One representative pod's logs are read, not ten.
    expect(reader.calls.filter((c) => c.startsWith('logs')).length).toBeLessThanOrEqual(2);
  });

  it('ranks causes before symptoms and says inconclusive when only symptoms remain', async () => {
    const lonely: Recorded = {
      deployment: [
        {
          metadata: { name: 'web', namespace: 'shop' },
          spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
          status: { availableReplicas: 1 },
        },
      ],
    };
    const d = await diagnose(
      { kind: 'namespace', cluster: '', namespace: 'shop' },
      { reader: recordedReader(lonely), clock, t },
    );
    expect(d.verdict).toBe('inconclusive');
    expect(d.findings.map((f) => f.pattern)).toEqual(['deployment.unavailable']);
    expect(d.findings[0]?.cause).toContain('no pod-level cause was recorded');
  });

  it('a failing read is reported with its request, and the rest is still diagnosed', async () => {
    const reader = recordedReader(workload('cart', 1));
    const list = reader.list.bind(reader);
    reader.list = (async (c: string, kind: never, ns?: string) => {
      if (kind === 'secret')
        throw Object.assign(new Error('Kubernetes API returned 403: forbidden'), {
          request: 'GET /api/v1/namespaces/shop/secrets (cluster prod)',
        });
      return list(c, kind, ns);
    }) as typeof reader.list;
    const d = await diagnose({ kind: 'namespace', cluster: '', namespace: 'shop' }, { reader, clock, t });
    expect(d.problems).toEqual([
      'secret list: Kubernetes API returned 403: forbidden (GET /api/v1/namespaces/shop/secrets (cluster prod))',
    ]);
    expect(d.findings[0]?.pattern).toBe('pod.crash_loop');
  });

  it('Secrets, budgets and policies the account may not list are skipped and said so; a healthy namespace stays healthy', async () => {
    const reader = recordedReader({ pod: [pod('web-1', { status: { phase: 'Running' } })] });
    const list = reader.list.bind(reader);
    const forbidden = (kind: string) =>
      new ClusterReadError('Kubernetes API returned 403: forbidden', `GET /api/v1/namespaces/shop/${kind}s`, 403);
    reader.list = (async (c: string, kind: never, ns?: string) => {
      if (kind === 'secret' || kind === 'networkpolicy') throw forbidden(kind);
      return list(c, kind, ns);
    }) as typeof reader.list;
    const d = await diagnose({ kind: 'namespace', cluster: '', namespace: 'shop' }, { reader, clock, t });
    expect(d).toMatchObject({ verdict: 'healthy', problems: [], skipped: ['secret', 'networkpolicy'] });
    expect(JSON.stringify(renderDiagnosisCard(d, t))).toContain('so not checked: secret, networkpolicy');
    // A kind the diagnosis needs is a failed read, 403 or not.
    reader.list = (async (c: string, kind: never, ns?: string) => {
      if (kind === 'pod') throw forbidden(kind);
      return list(c, kind, ns);
    }) as typeof reader.list;
    const partial = await diagnose({ kind: 'namespace', cluster: '', namespace: 'shop' }, { reader, clock, t });
    expect(partial.verdict).toBe('inconclusive');
    expect(partial.problems[0]).toContain('pod list: Kubernetes API returned 403');
  });

  it('the card holds 20 findings under 30 KB and says how many more there are', async () => {
    const apps = Array.from({ length: 24 }, (_, i) => `service-with-a-rather-long-name-${i}`);
    const reader = recordedReader(merge(...apps.map((a) => workload(a, 3))));
    const d = await diagnose(
      { kind: 'namespace', cluster: '', namespace: 'shop' },
      { reader, clock, t, maxLogReads: 0 },
    );
    expect(d.findings).toHaveLength(24);
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const card = renderDiagnosisCard({ ...d, findings: d.findings.slice(0, 20) }, translator(locale));
      expect(cardBytes(card)).toBeLessThan(30 * 1024);
      const all = renderDiagnosisCard(d, translator(locale));
      expect(cardBytes(all)).toBeLessThan(30 * 1024);
      const shown = (JSON.stringify(all).match(/CrashLoopBackOff, container app/g) ?? []).length;
      if (locale === 'en-US' && shown < 24) expect(JSON.stringify(all)).toContain(`and ${24 - shown} more finding`);
    }
  });
});

describe('diagnosis card', () => {
  it('shows all of 20 findings, each with a Run button per runbook carrying the incident, under 30 KB', async () => {
    const apps = Array.from({ length: 20 }, (_, i) => `service-with-a-rather-long-name-${i}`);
    const reader = recordedReader(merge(...apps.map((a) => workload(a, 3))));
    const d = await diagnose({ kind: 'namespace', cluster: '', namespace: 'shop' }, { reader, clock, t });
    expect(d.findings).toHaveLength(20);
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const card = renderDiagnosisCard(d, translator(locale), {
        incidentId: 42,
        note: translator(locale)('diagnose.note.noLlm'),
      });
      const json = JSON.stringify(card);
      expect(cardBytes(card)).toBeLessThan(30 * 1024);
      for (const a of apps) expect(json).toContain(`${a}:`);
      const runs =
        json.match(
          /"action":"run_runbook","runbookId":"deployment-rollout-restart","params":\{[^}]*\},"incidentId":42/g,
        ) ?? [];
      expect(runs).toHaveLength(20);
      expect(json).not.toContain('more finding');
      expect(json).toContain('OPENAI');
    }
  });
});

describe('explainingLines', () => {
  it('keeps the error lines, de-duplicated and redacted, at most five', () => {
    const lines = [
      'GET /healthz 200',
      'Exception in thread "main" java.lang.IllegalStateException: missing config',
      'connect to postgres://app:s3cretpass@db:5432 refused',
      ...Array.from({ length: 10 }, (_, i) => `ERROR retry ${i} failed`),
      'panic: open /data/cache: permission denied',
    ];
    const out = explainingLines(lines);
    expect(out).toHaveLength(4);
    expect(out.filter((l) => l.startsWith('ERROR retry'))).toEqual(['ERROR retry 0 failed']);
    expect(out.join('\n')).not.toContain('s3cretpass');
    expect(out.at(-1)).toBe('panic: open /data/cache: permission denied');
  });
});

describe('parseTarget', () => {
  it('accepts kubectl kinds and short names', () => {
    expect(parseTarget(['shop'])).toMatchObject({ ok: true, scope: { kind: 'namespace', namespace: 'shop' } });
    expect(parseTarget(['deploy/checkout', '-n', 'shop'])).toMatchObject({
      ok: true,
      scope: { kind: 'resource', ref: { kind: 'deployment', namespace: 'shop', name: 'checkout' } },
    });
    expect(parseTarget(['sts/db', '--namespace=data'])).toMatchObject({
      ok: true,
      scope: { ref: { kind: 'statefulset' } },
    });
    expect(parseTarget(['node/node-2'])).toMatchObject({ ok: true, scope: { ref: { kind: 'node', name: 'node-2' } } });
    expect(parseTarget(['po/x', '-n', 'a'])).toMatchObject({ ok: true, scope: { ref: { kind: 'pod' } } });
  });

  it('refuses what it cannot read, saying the expected form', () => {
    expect(parseTarget([])).toMatchObject({
      ok: false,
      error: expect.stringContaining('expected <namespace> or <kind>/<name>'),
    });
    expect(parseTarget(['svc/web'])).toMatchObject({
      ok: false,
      error: 'service/web needs a namespace: add -n <namespace>',
    });
    expect(parseTarget(['widget/x', '-n', 'a'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('"widget" is not a kind'),
    });
    expect(parseTarget(['Shop!'])).toMatchObject({ ok: false });
    expect(parseTarget(['deploy/x', '-n'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('-n needs a namespace'),
    });
  });
});
