/**
 * Web console server time with 10,000 incidents and 500,000 timeline entries stored (50 per incident, plus
 * 4,000 card messages in the outbox and 5,000 alerts): the incident list (first page, filtered, full-text,
 * a deep page), a detail page, and the delivery latency of a domain event over server-sent events. Requests go
 * over loopback keep-alive with the admin token. Server time is the console's `Server-Timing: app;dur=` (reading
 * and rendering, JSON serialisation included); the round trip seen by the client is printed beside it. The
 * baseline, measured in the same run, is the round trip of `GET /healthz` (the transport floor); ratios are
 * round-trip p99 over baseline p99.
 *
 *   npx tsx scripts/bench/console.ts [samples=300]
 *
 * Goal: list and detail p99 < 100 ms.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import { startFeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

const SAMPLES = Number(process.argv[2] ?? 300);
const INCIDENTS = 10_000;
const PER_INCIDENT = 50;
const TOKEN = 'bench-console-admin-token-0123456789';

const emu = await startFeishuEmulator({
  app: { appId: 'cli_benchconsole00', appSecret: 'bench-secret', verificationToken: 'bench-token' },
  bot: { openId: 'ou_7b1e4f2a9c3d5e6f8a0b1c2d3e4f5a6b', name: 'SRE Bot' },
  users: [],
  chats: [],
});
const dir = mkdtempSync(join(tmpdir(), 'nanobot-console-bench-'));
const r = loadConfig(
  {
    FEISHU_APP_ID: 'cli_benchconsole00',
    FEISHU_APP_SECRET: 'bench-secret',
    FEISHU_VERIFICATION_TOKEN: 'bench-token',
    FEISHU_DOMAIN: emu.url,
    BOT_LOCALE: 'zh-CN',
    ALERTMANAGER_WEBHOOK_TOKEN: 'none',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: join(dir, 'db.sqlite'),
    LOG_LEVEL: 'silent',
    CONSOLE_ADMIN_TOKEN: TOKEN,
  },
  { readFile: () => undefined },
);
if (!r.ok) throw new Error(r.problems.join('\n'));
const app = await startApp(r.config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
const base = `http://127.0.0.1:${app.address.port}`;
const { store } = app.ctx;

// ── seed (straight SQL: the repos would announce 500,000 events nobody listens to) ─────────────────────────
const seedStarted = performance.now();
const now = Date.now();
const PRIOS = ['P0', 'P1', 'P2', 'P3'];
const STATUSES = ['open', 'acknowledged', 'resolved', 'resolved', 'resolved'];
const APPS = ['checkout', 'cart', 'ledger', 'search', 'indexer', 'gateway', 'auth', 'media'];
const KINDS = ['alerts_repeated', 'note', 'escalated', 'step_done', 'alerts_joined'];
store.db.transaction(() => {
  const inc = store.db.prepare(
    `INSERT INTO incidents (id, group_key, title, priority, status, chat_id, namespace, cluster, labels, resources,
       first_seen, last_seen, acked_at, resolved_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, '[]', ?, ?, ?, ?)`,
  );
  const tl = store.db.prepare(
    'INSERT INTO incident_timeline (incident_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const ob = store.db.prepare(
    `INSERT INTO outbox (chat_id, kind, payload, ref, status, next_attempt_at, created_at) VALUES ('oc_x', 'send_card', ?, ?, 'sent', ?, ?)`,
  );
  const al = store.db.prepare(
    `INSERT INTO alerts (fingerprint, starts_at, alertname, status, severity, labels, annotations, incident_id, first_seen, last_seen)
     VALUES (?, ?, ?, 'firing', 'critical', ?, '{}', ?, ?, ?)`,
  );
  const card = JSON.stringify({
    card: {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: 'bench' }, template: 'red' },
      body: { elements: [{ tag: 'markdown', content: '**状态**：未处理' }] },
    },
  });
  for (let i = 1; i <= INCIDENTS; i++) {
    const app = APPS[i % APPS.length] as string;
    const ns = `ns-${i % 40}`;
    const t0 = now - (INCIDENTS - i) * 60_000;
    const status = STATUSES[i % STATUSES.length] as string;
    inc.run(
      i,
      `g-${i}`,
      `KubePodCrashLooping · ${ns}/${app}-${i}`,
      PRIOS[i % 4],
      status,
      ns,
      `cluster-${i % 3}`,
      JSON.stringify({ alertname: 'KubePodCrashLooping', namespace: ns, pod: `${app}-${i}`, severity: 'critical' }),
      t0,
      t0 + 600_000,
      status === 'open' ? null : t0 + 120_000,
      status === 'resolved' ? t0 + 900_000 : null,
    );
    tl.run(i, t0, 'opened', 'system', JSON.stringify({ priority: PRIOS[i % 4], alertname: 'KubePodCrashLooping' }));
    for (let k = 1; k < PER_INCIDENT; k++) {
      const kind = KINDS[k % KINDS.length] as string;
      const detail =
        kind === 'note'
          ? { text: `observation ${k}` }
          : kind === 'escalated'
            ? { step: k, notify: 'oncall' }
            : kind === 'step_done'
              ? { runId: `run-${i}`, stepId: `s${k}`, outcome: 'ok' }
              : kind === 'alerts_joined'
                ? { alerts: [{ alertname: 'KubePodCrashLooping', fingerprint: `f${i}`, status: 'firing' }] }
                : { alerts: [{ alertname: 'KubePodCrashLooping', fingerprint: `f${i}` }] };
      tl.run(i, t0 + k * 1000, kind, 'system', JSON.stringify(detail));
    }
    if (i % 5 === 0) {
      ob.run(card, `incident:${i}`, t0, t0);
      ob.run(card.replace('"send_card"', '"patch_card"'), `incident:${i}`, t0 + 1, t0 + 1);
    }
    if (i % 2 === 0)
      al.run(
        `f${i}`,
        new Date(t0).toISOString(),
        'KubePodCrashLooping',
        JSON.stringify({ alertname: 'KubePodCrashLooping', namespace: ns }),
        i,
        t0,
        t0,
      );
  }
})();
store.db.exec('ANALYZE');
const counts = store.db
  .prepare(
    'SELECT (SELECT count(*) FROM incidents) AS i, (SELECT count(*) FROM incident_timeline) AS t, (SELECT count(*) FROM outbox) AS o',
  )
  .get() as { i: number; t: number; o: number };
console.log(
  `seeded ${counts.i} incidents, ${counts.t} timeline entries, ${counts.o} outbox rows in ${Math.round(performance.now() - seedStarted)} ms`,
);

// ── measure ─────────────────────────────────────────────────────────────────────────────────────────────────
const headers = { authorization: `Bearer ${TOKEN}` };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
interface Timed {
  trip: number[];
  server: number[];
}
async function timeGet(path: (i: number) => string): Promise<Timed> {
  const out: Timed = { trip: [], server: [] };
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const res = await fetch(`${base}${path(i)}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path(i)}: ${res.status}`);
    out.trip.push(performance.now() - started);
    const dur = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1];
    if (dur) out.server.push(Number(dur));
  }
  return out;
}
// Warm up the statement cache and the connection pool.
for (const p of ['/healthz', '/console/incidents', '/console/incidents/1'])
  await (await fetch(`${base}${p}`, { headers })).arrayBuffer();

const rows: [string, Timed][] = [];
const baseline = await timeGet(() => '/healthz');
rows.push(['GET /healthz (baseline)', baseline]);
rows.push(['list: first page', await timeGet(() => '/console/incidents')]);
rows.push([
  'list: status+priority+namespace',
  await timeGet((i) => `/console/incidents?status=active&priority=P${i % 4}&namespace=ns-${i % 40}`),
]);
rows.push(['list: full text "checkout"', await timeGet(() => '/console/incidents?q=checkout')]);
rows.push(['list: page 150 of 200', await timeGet(() => '/console/incidents?page=150')]);
rows.push(['list: JSON API, filtered', await timeGet((i) => `/console/api/incidents?priority=P${i % 4}&q=cart`)]);
rows.push([
  'detail page (50 entries, cards)',
  await timeGet((i) => `/console/incidents/${1 + ((i * 7919) % INCIDENTS)}`),
]);

// SSE: one client; each sample opens an incident and waits for its event on the stream.
const sse = await fetch(`${base}/console/events`, { headers });
const reader = (sse.body as ReadableStream<Uint8Array>).getReader();
const decoder = new TextDecoder();
const waiting = new Map<number, (t: number) => void>();
void (async () => {
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    for (let m = /incidentId":(\d+)/.exec(buf); m; m = /incidentId":(\d+)/.exec(buf)) {
      const at = performance.now();
      waiting.get(Number(m[1]))?.(at);
      waiting.delete(Number(m[1]));
      buf = buf.slice(m.index + m[0].length);
    }
  }
})();
const sseLatency: number[] = [];
for (let i = 0; i < Math.min(SAMPLES, 200); i++) {
  const started = performance.now();
  const id = INCIDENTS + 1 + i;
  const arrived = new Promise<number>((resolve) => waiting.set(id, resolve));
  store.tx(() => {
    const created = store.incidents.create(
      {
        groupKey: `sse-${i}`,
        title: `sse ${i}`,
        priority: 'P2',
        chatId: null,
        namespace: 'bench',
        cluster: null,
        labels: {},
        resources: [],
      },
      Date.now(),
    );
    if (created.id !== id) waiting.set(created.id, waiting.get(id) as (t: number) => void);
  });
  sseLatency.push((await arrived) - started);
}
rows.push(['SSE: commit → event at the client', { trip: sseLatency, server: [] }]);

const b99 = pct(baseline.trip, 99);
const f = (xs: number[], p: number) => (xs.length ? pct(xs, p).toFixed(2) : '—').padStart(9);
console.log(
  `\n${'figure'.padEnd(36)}${'server p50'.padStart(11)}${'p99'.padStart(9)}${'trip p50'.padStart(11)}${'p99'.padStart(9)}${'trip p99 / baseline'.padStart(21)}`,
);
for (const [name, t] of rows) {
  const ratio = (pct(t.trip, 99) / b99).toFixed(1);
  console.log(
    `${name.padEnd(36)}${f(t.server, 50).padStart(11)}${f(t.server, 99)}${f(t.trip, 50).padStart(11)}${f(t.trip, 99)}${ratio.padStart(20)}×`,
  );
}
const measured = rows.filter(([n]) => n.startsWith('list') || n.startsWith('detail'));
const worst = Math.max(...measured.map(([, t]) => pct(t.server, 99)));
console.log(
  `\ngoal: list and detail server p99 < 100 ms — worst ${worst.toFixed(1)} ms: ${worst < 100 ? 'met' : 'NOT met'}`,
);
await reader.cancel().catch(() => {});
await app.stop();
await emu.close();
