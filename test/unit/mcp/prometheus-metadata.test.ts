/** metric_metadata and tsdb_status against replies recorded from a real Prometheus (2.42). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrometheusDeps } from '../../../src/mcp/prometheus/client.js';
import { metricMetadataTool } from '../../../src/mcp/prometheus/metric-metadata.js';
import { tsdbStatusTool } from '../../../src/mcp/prometheus/tsdb-status.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/prometheus', name), 'utf8');
const ctx = { signal: AbortSignal.timeout(5000) };

/** A Prometheus answering from recorded files, keeping the URLs asked for. */
function recorded(routes: Record<string, string>) {
  const asked: URL[] = [];
  const deps: PrometheusDeps = {
    baseUrl: 'http://prometheus.test',
    timeoutMs: 5000,
    now: Date.now,
    fetch: (async (input: string | URL) => {
      const url = new URL(String(input));
      asked.push(url);
      const key = `${url.pathname}${url.searchParams.has('metric') ? `?metric=${url.searchParams.get('metric')}` : ''}`;
      const file = routes[key];
      return file
        ? new Response(fixture(file), { status: 200 })
        : new Response(JSON.stringify({ status: 'success', data: {} }), { status: 200 });
    }) as typeof fetch,
  };
  return { deps, asked };
}

describe('metric_metadata', () => {
  it('gives type, help and unit of one metric', async () => {
    const { deps, asked } = recorded({
      '/api/v1/metadata?metric=prometheus_http_requests_total': 'api-v1-metadata-one.json',
    });
    const r = await metricMetadataTool.run(
      metricMetadataTool.input.parse({ metric: 'prometheus_http_requests_total' }),
      deps,
      ctx,
    );
    expect(r).toMatchObject({
      status: 'ok',
      text: 'prometheus_http_requests_total (counter): Counter of HTTP requests.',
    });
    expect(asked[0]?.searchParams.get('metric')).toBe('prometheus_http_requests_total');
  });

  it('lists and filters all metrics, sorted, with the rest counted', async () => {
    const { deps } = recorded({ '/api/v1/metadata': 'api-v1-metadata-all.json' });
    const r = await metricMetadataTool.run(metricMetadataTool.input.parse({ contains: 'tsdb', limit: 2 }), deps, ctx);
    if (r.status !== 'ok') throw new Error(JSON.stringify(r));
    const data = r.data as { metrics: { metric: string }[]; total: number };
    expect(data.metrics).toHaveLength(2);
    expect(data.metrics.every((m) => m.metric.includes('tsdb'))).toBe(true);
    expect(data.metrics.map((m) => m.metric)).toEqual([...data.metrics.map((m) => m.metric)].sort());
    expect(r.text).toContain(`… ${data.total - 2} more (raise limit)`);
  });

  it('an unknown metric is no_data that says where it looked and what else to try', async () => {
    const { deps } = recorded({});
    const r = await metricMetadataTool.run(metricMetadataTool.input.parse({ metric: 'nope_total' }), deps, ctx);
    expect(r).toEqual({
      status: 'no_data',
      searched:
        'metadata of nope_total on http://prometheus.test (a metric without metadata may still have series: try series)',
    });
  });

  it('refuses a metric name that is not one (nothing is sent)', () => {
    expect(metricMetadataTool.input.safeParse({ metric: 'up{job="x"}' }).success).toBe(false);
  });
});

describe('tsdb_status', () => {
  it('summarises head series and the top cardinality lists', async () => {
    const { deps, asked } = recorded({ '/api/v1/status/tsdb': 'api-v1-status-tsdb.json' });
    const r = await tsdbStatusTool.run(tsdbStatusTool.input.parse({ limit: 3 }), deps, ctx);
    if (r.status !== 'ok') throw new Error(JSON.stringify(r));
    const lines = r.text.split('\n');
    expect(lines[0]).toMatch(/^head: 360 series, 317 label pairs, 360 chunks/);
    expect(lines).toContain('series by metric:');
    expect(lines).toContain('  prometheus_http_request_duration_seconds_bucket: 20');
    expect(asked[0]?.searchParams.get('limit')).toBe('3');
    const byMetric = lines.slice(lines.indexOf('series by metric:') + 1).filter((l) => l.startsWith('  '));
    expect(byMetric.length).toBeGreaterThanOrEqual(3);
  });
});
