/** A loopback Prometheus HTTP API serving recorded replies (test/fixtures/prometheus), recording each request. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '../fixtures/prometheus');
export const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

export interface FakePrometheus {
  url: string;
  requests: URL[];
  /** PromQL text → fixture file (instant queries); unknown queries answer the empty vector. */
  queries: Map<string, string>;
  ranges: Map<string, string>;
  close(): Promise<void>;
}

const TARGETS = {
  status: 'success',
  data: {
    activeTargets: [
      {
        discoveredLabels: {},
        labels: { instance: '127.0.0.1:19100', job: 'kube-state-metrics' },
        scrapePool: 'kube-state-metrics',
        scrapeUrl: 'http://127.0.0.1:19100/metrics',
        globalUrl: 'http://127.0.0.1:19100/metrics',
        lastError: '',
        lastScrape: '2026-11-25T12:08:10.1Z',
        lastScrapeDuration: 0.002,
        health: 'up',
      },
      {
        discoveredLabels: {},
        labels: { instance: '127.0.0.1:19200', job: 'checkout' },
        scrapePool: 'checkout',
        scrapeUrl: 'http://127.0.0.1:19200/metrics',
        globalUrl: 'http://127.0.0.1:19200/metrics',
        lastError: 'Get "http://127.0.0.1:19200/metrics": dial tcp 127.0.0.1:19200: connect: connection refused',
        lastScrape: '2026-11-25T12:08:11.4Z',
        lastScrapeDuration: 0.001,
        health: 'down',
      },
    ],
    droppedTargets: [],
  },
};

export async function startFakePrometheus(): Promise<FakePrometheus> {
  const requests: URL[] = [];
  const queries = new Map<string, string>([
    ['kube_deployment_status_replicas_unavailable{namespace="shop"} > 0', 'query-vector-deploy-unavailable.json'],
    ['kube_pod_container_status_restarts_total{namespace="shop"}', 'query-vector-restarts.json'],
    ['scalar(3)', 'query-scalar.json'],
  ]);
  const ranges = new Map<string, string>([
    ['kube_deployment_status_replicas_unavailable{namespace="shop"}', 'query_range-matrix-deploy-unavailable.json'],
    ['kube_pod_container_status_restarts_total{pod="checkout-7d9f8b6c5-x2x9q"}', 'query_range-matrix-restarts.json'],
  ]);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    const q = url.searchParams.get('query') ?? '';
    switch (url.pathname) {
      case '/api/v1/query': {
        const name = queries.get(q) ?? 'query-vector-empty.json';
        return send(name.includes('error-400') ? 400 : 200, fixture(name));
      }
      case '/api/v1/query_range':
        return send(200, fixture(ranges.get(q) ?? 'query_range-matrix-empty.json'));
      case '/api/v1/alerts':
        return send(200, fixture('api-v1-alerts-firing.json'));
      case '/api/v1/rules':
        return send(200, fixture('api-v1-rules-firing.json'));
      case '/api/v1/label/__name__/values':
        return send(
          200,
          JSON.stringify({
            status: 'success',
            data: ['kube_deployment_status_replicas_unavailable', 'kube_pod_container_status_restarts_total', 'up'],
          }),
        );
      case '/api/v1/label/namespace/values':
        return send(200, JSON.stringify({ status: 'success', data: ['kube-system', 'shop'] }));
      case '/api/v1/series': {
        const match = url.searchParams.getAll('match[]');
        const data = match.some((m) => m.startsWith('up'))
          ? [{ __name__: 'up', instance: '127.0.0.1:19100', job: 'kube-state-metrics' }]
          : [];
        return send(200, JSON.stringify({ status: 'success', data }));
      }
      case '/api/v1/targets':
        return send(200, JSON.stringify(TARGETS));
      default:
        return send(404, '404 page not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queries,
    ranges,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
