import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src/sandbox/alerting/dispatcher.js';
import type { EngineAlert } from '../../../../src/sandbox/alerting/rule-engine.js';
import { Silences } from '../../../../src/sandbox/alerting/silences.js';
import { FAST_TIMING } from '../../../../src/sandbox/alerting/timing.js';
import type { WebhookBody } from '../../../../src/sandbox/demo/alertmanager.js';

const timing = { ...FAST_TIMING, groupWaitMs: 1_000, groupIntervalMs: 3_000, repeatIntervalMs: 10_000 };
const received: { auth: string | undefined; body: WebhookBody }[] = [];
let answer = 200;
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(text) as WebhookBody });
      res.writeHead(answer).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function alert(pod: string, status: 'firing' | 'resolved' = 'firing'): EngineAlert {
  return {
    labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod, severity: 'warning' },
    annotations: { summary: 'Pod is crash looping.' },
    status,
    startsAt: new Date(0),
    ...(status === 'resolved' ? { endsAt: new Date(1) } : {}),
    fingerprint: `fp-${pod}`,
  };
}

describe('the Alertmanager-like dispatcher', () => {
  it('waits group_wait, batches per group_interval, repeats after repeat_interval, sends resolved, honours silences and retries', async () => {
    let now = 0;
    const silences = new Silences(() => now);
    const d = new Dispatcher({ botUrl: () => url, token: 'tok', timing, silences, now: () => now });
    const at = async (t: number) => {
      now = t;
      await d.tick();
      return received.length;
    };
    d.receive([alert('a')]);
    expect(await at(500)).toBe(0); // group_wait
    expect(await at(1_000)).toBe(1);
    expect(received[0]?.auth).toBe('Bearer tok');
    expect(received[0]?.body).toMatchObject({
      version: '4',
      status: 'firing',
      groupLabels: { alertname: 'KubePodCrashLooping', namespace: 'shop' },
    });

    d.receive([alert('a'), alert('b')]);
    expect(await at(2_000)).toBe(1); // not before group_interval
    expect(await at(4_000)).toBe(2);
    expect(received[1]?.body.alerts.map((a) => a.labels.pod)).toEqual(['a', 'b']);

    d.receive([alert('a'), alert('b')]);
    expect(await at(7_000)).toBe(2); // nothing changed, repeat_interval not reached
    expect(await at(14_000)).toBe(3); // repeat
    d.receive([alert('a'), alert('b', 'resolved')]);
    expect(await at(17_000)).toBe(4);
    expect(received[3]?.body.alerts.map((a) => `${a.labels.pod}:${a.status}`)).toEqual(['a:firing', 'b:resolved']);

    // A silence on `a`: it is no longer sent, not even as a repeat.
    silences.upsert({
      matchers: [{ name: 'pod', value: 'a', isRegex: false, isEqual: true }],
      startsAt: new Date(17_000).toISOString(),
      endsAt: new Date(60_000).toISOString(),
      createdBy: 'test',
      comment: 'quiet',
    });
    d.receive([alert('a')]);
    expect(await at(20_000)).toBe(4);
    expect(await at(30_000)).toBe(4);
    expect(d.alerts()[0]?.silencedBy).toHaveLength(1);

    // The silence ends; the bot answers 500 once: the same notification is sent again at the next interval.
    now = 61_000;
    answer = 500;
    d.receive([alert('a')]);
    expect(await at(61_000)).toBe(5);
    answer = 200;
    d.receive([alert('a')]);
    expect(await at(64_000)).toBe(6);
    expect(received[5]?.body.alerts).toEqual(received[4]?.body.alerts);
    expect(await at(67_000)).toBe(6);
  });
});
