import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolHost } from '../../../src/mcp/host.js';
import { DEFAULT_POLICY } from '../../../src/mcp/policy.js';
import { createPrometheusServer } from '../../../src/mcp/prometheus/server.js';
import type { ToolResult } from '../../../src/ports/tools.js';
import { silentLogger } from '../../../src/shared/log.js';
import { type FakePrometheus, startFakePrometheus } from '../../helpers/fake-prometheus.js';

const NOW = 1795608520_000; // just after the recorded fixtures
const llm = { kind: 'llm' } as const;
let prom: FakePrometheus;
let host: McpToolHost;

beforeAll(async () => {
  prom = await startFakePrometheus();
  host = await McpToolHost.start({
    builtIns: [
      { name: 'prometheus', server: createPrometheusServer({ baseUrl: prom.url, timeoutMs: 5000, now: () => NOW }) },
    ],
    policy: DEFAULT_POLICY,
    log: silentLogger(),
    now: () => NOW,
  });
});
afterAll(async () => {
  await host.close();
  await prom.close();
});

function ok(r: ToolResult) {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
}

describe('Prometheus tools through the ToolHost', () => {
  it('lists ten read tools with JSON schemas from zod', () => {
    const tools = host.list();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'alerts',
        'label_values',
        'metric_metadata',
        'metric_names',
        'query',
        'query_range',
        'rules',
        'series',
        'targets',
        'tsdb_status',
      ].map((n) => `prometheus.${n}`),
    );
    expect(tools.every((t) => t.safetyClass === 'read' && t.server === 'prometheus')).toBe(true);
    const query = tools.find((t) => t.name === 'prometheus.query');
    expect(query?.inputSchema).toMatchObject({ type: 'object', properties: { query: { type: 'string' } } });
    expect(query?.inputSchema.required).toEqual(['query']);
  });

  it('instant query renders each series with its value', async () => {
    const r = ok(
      await host.call(
        'prometheus.query',
        { query: 'kube_deployment_status_replicas_unavailable{namespace="shop"} > 0' },
        llm,
      ),
    );
    expect(r.text).toContain('kube_deployment_status_replicas_unavailable{deployment="checkout"');
    expect(r.text).toMatch(/ 2$/);
    const sent = prom.requests.at(-1);
    expect(sent?.pathname).toBe('/api/v1/query');
    expect(sent?.searchParams.get('time')).toBe(String(NOW / 1000));
  });

  it('a scalar result is shown with its time', async () => {
    const r = ok(await host.call('prometheus.query', { query: 'scalar(3)', time: 'now-5m' }, llm));
    expect(r.text).toMatch(/^scalar 3 at 2026-/);
    expect(prom.requests.at(-1)?.searchParams.get('time')).toBe(String(NOW / 1000 - 300));
  });

  it('an empty vector is no_data saying what was searched where', async () => {
    const r = await host.call('prometheus.query', { query: 'up{job="nothing"}' }, llm);
    expect(r).toMatchObject({ kind: 'no_data' });
    if (r.kind === 'no_data') {
      expect(r.searched).toContain('up{job="nothing"}');
      expect(r.searched).toContain(prom.url);
    }
  });

  it('an upstream 400 comes back with the request, status and body', async () => {
    const local = await host.call('prometheus.query', { query: 'sum(rate(' }, llm);
    expect(local).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    if (local.kind === 'error') expect(local.message).toContain('unclosed "("');
    prom.queries.set('bad_upstream', 'query-error-400-bad-data.json');
    const r = await host.call('prometheus.query', { query: 'bad_upstream' }, llm);
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.upstream?.status).toBe(400);
    expect(r.message).toContain('bad_data: invalid parameter');
    expect(r.upstream?.request).toContain('/api/v1/query?query=bad_upstream');
    expect(r.upstream?.body).toContain('unclosed left parenthesis');
  });

  it('range query sends start, end and step and summarises each series', async () => {
    const r = ok(
      await host.call(
        'prometheus.query_range',
        { query: 'kube_deployment_status_replicas_unavailable{namespace="shop"}', start: 'now-1h', step: '30s' },
        llm,
      ),
    );
    const sent = prom.requests.at(-1);
    expect(sent?.searchParams.get('step')).toBe('30');
    expect(Number(sent?.searchParams.get('end')) - Number(sent?.searchParams.get('start'))).toBe(3600);
    expect(r.text).toContain('deployment="checkout"');
    expect(r.text).toContain('first 2, last 0, min 0, max 2');
  });

  it('range query refuses a step finer than the point limit, naming the step to use', async () => {
    const before = prom.requests.length;
    const r = await host.call(
      'prometheus.query_range',
      { query: 'up', start: 'now-1d', step: '1s', maxPoints: 100 },
      llm,
    );
    expect(r).toMatchObject({ kind: 'error' });
    if (r.kind === 'error') expect(r.message).toContain('use a step of at least 873s');
    expect(prom.requests.length).toBe(before);
  });

  it('empty range is no_data', async () => {
    const r = await host.call('prometheus.query_range', { query: 'up{job="gone"}' }, llm);
    expect(r.kind).toBe('no_data');
  });

  it('alerts filter by state and name', async () => {
    const r = ok(await host.call('prometheus.alerts', { state: 'firing', alertname: 'KubePodCrashLooping' }, llm));
    expect(r.text).toContain('firing');
    expect(r.text).toContain('pod="checkout-7d9f8b6c5-x2x9q"');
    expect(r.text).toContain('Pod is crash looping.');
    expect(await host.call('prometheus.alerts', { alertname: 'NoSuchAlert' }, llm)).toMatchObject({ kind: 'no_data' });
  });

  it('rules show group, query and state', async () => {
    const r = ok(await host.call('prometheus.rules', { type: 'alert' }, llm));
    expect(prom.requests.at(-1)?.searchParams.get('type')).toBe('alert');
    expect(r.text).toContain('[kubernetes-apps] alerting KubePodCrashLooping (firing');
    expect(r.text).toContain('kube_pod_container_status_waiting_reason');
  });

  it('metric names, label values and series', async () => {
    const names = ok(await host.call('prometheus.metric_names', { contains: 'kube_' }, llm));
    expect(names.text.split('\n')).toEqual([
      'kube_deployment_status_replicas_unavailable',
      'kube_pod_container_status_restarts_total',
    ]);
    const values = ok(await host.call('prometheus.label_values', { label: 'namespace' }, llm));
    expect(values.text).toBe('kube-system\nshop');
    const bad = await host.call('prometheus.label_values', { label: 'namespace/../../admin' }, llm);
    expect(bad).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    const series = ok(await host.call('prometheus.series', { match: ['up{job="kube-state-metrics"}'] }, llm));
    expect(series.text).toBe('up{instance="127.0.0.1:19100", job="kube-state-metrics"}');
    expect(prom.requests.at(-1)?.searchParams.getAll('match[]')).toEqual(['up{job="kube-state-metrics"}']);
  });

  it('targets health shows down targets with their last error', async () => {
    const r = ok(await host.call('prometheus.targets', { health: 'down' }, llm));
    expect(r.text).toContain('down checkout http://127.0.0.1:19200/metrics');
    expect(r.text).toContain('connection refused');
    expect(r.text).not.toContain('kube-state-metrics');
  });

  it('an unreachable Prometheus is an error naming the request', async () => {
    const h = await McpToolHost.start({
      builtIns: [
        {
          name: 'prometheus',
          server: createPrometheusServer({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000, now: () => NOW }),
        },
      ],
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: () => NOW,
    });
    const r = await h.call('prometheus.alerts', {}, llm);
    await h.close();
    expect(r).toMatchObject({ kind: 'error', code: 'upstream_error' });
    if (r.kind === 'error') {
      expect(r.message).toContain('Prometheus unreachable');
      expect(r.upstream?.request).toBe('GET http://127.0.0.1:1/api/v1/alerts');
    }
  });
});
