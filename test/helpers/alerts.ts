import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RouteTable } from '../../src/alerts/route-table.js';
import { type WebhookBody, WebhookBodySchema } from '../../src/alerts/schema.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { IncidentDeps } from '../../src/incidents/context.js';
import { OncallDirectory } from '../../src/incidents/oncall.js';
import type { OutgoingMessage } from '../../src/ports/feishu.js';
import { translator } from '../../src/shared/i18n.js';
import { createLogger } from '../../src/shared/log.js';
import { Store } from '../../src/store/index.js';
import { FakeClock } from './fake-clock.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/alertmanager');

export function fixture(name: string): WebhookBody {
  return WebhookBodySchema.parse(JSON.parse(readFileSync(`${FIXTURES}/${name}.json`, 'utf8')));
}

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}/${name}.json`, 'utf8');
}

export const DEFAULT_YAML = `
card_refresh_delay: 0
routes:
  - name: shop
    match: ['namespace="shop"']
    chat_id: oc_shop
    oncall: [ou_alice, bob@example.com]
    secondary_oncall: [ou_carol]
`;

export function testConfig(yaml = DEFAULT_YAML, env: Record<string, string> = {}): Config {
  const r = loadConfig(
    { FEISHU_DEFAULT_CHAT_ID: 'oc_default', BOT_LOCALE: 'en-US', TZ: 'UTC', ...env },
    { readFile: () => yaml },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.config;
}

export interface Harness extends IncidentDeps {
  clock: FakeClock;
  messages(filter?: { kind?: OutgoingMessage['kind']; status?: string }): (OutgoingMessage & { status: string })[];
}

export function harness(options: { yaml?: string; store?: Store; clock?: FakeClock } = {}): Harness {
  const config = testConfig(options.yaml);
  const store = options.store ?? Store.open(':memory:');
  const clock = options.clock ?? new FakeClock();
  const people = new OncallDirectory();
  people.set('bob@example.com', 'ou_bob');
  return {
    config,
    store,
    clock,
    log: createLogger('silent'),
    t: translator('en-US'),
    routes: new RouteTable(config.file, config.feishu.defaultChatId),
    people,
    messages(filter = {}) {
      const rows = store.db.prepare('SELECT payload, status FROM outbox ORDER BY id').all() as {
        payload: string;
        status: string;
      }[];
      return rows
        .map((r) => ({ ...(JSON.parse(r.payload) as OutgoingMessage), status: r.status }))
        .filter((m) => (!filter.kind || m.kind === filter.kind) && (!filter.status || m.status === filter.status));
    },
  };
}

let seq = 0;

/** A synthetic Alertmanager alert. */
export function alert(
  labels: Record<string, string>,
  options: {
    status?: 'firing' | 'resolved';
    startsAt?: string;
    fingerprint?: string;
    annotations?: Record<string, string>;
    generatorURL?: string;
  } = {},
) {
  const fp =
    options.fingerprint ??
    `fp${Object.entries(labels)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`;
  return {
    status: options.status ?? 'firing',
    labels,
    annotations: options.annotations ?? { summary: `${labels.alertname} summary` },
    startsAt: options.startsAt ?? '2026-11-25T08:00:00Z',
    endsAt: options.status === 'resolved' ? '2026-11-25T08:10:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: options.generatorURL ?? 'http://prometheus:9090/graph?g0.expr=up',
    fingerprint: fp,
  };
}

export function body(alerts: ReturnType<typeof alert>[]): WebhookBody {
  seq++;
  return WebhookBodySchema.parse({
    version: '4',
    groupKey: `{}:{g="${seq}"}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'sre-nanobot',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  });
}
