import { describe, expect, it } from 'vitest';
import { tailToFit } from '../../../src/cards/logs.js';
import { openIncident } from '../../../src/incidents/lifecycle.js';
import { bench, fakeTools, ok } from './harness.js';

type Card = { header: { title: { content: string }; template: string }; body: { elements: { content?: string }[] } };
const card = (s: string | undefined) => JSON.parse(s as string) as Card;
const bytes = (s: string | undefined) => Buffer.byteLength(s as string);

describe('/logs as a card', () => {
  it('keeps the newest lines of a long log, says how many were cut, redacts secrets, stays under 30 KB', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `2026-12-02T10:00:${String(i % 60).padStart(2, '0')} line ${i} ${'x'.repeat(40)}`,
    );
    lines[4990] = 'connecting with --password hunter22 to db';
    const { tools } = fakeTools({ 'k8s.pod_logs': () => ok('k8s.pod_logs', {}, lines.join('\n')) });
    const { send } = bench({ tools });
    const replies = await send('/logs web-1 -n shop --tail 5000');
    expect(replies[0]).toBe('Working on it…');
    const c = card(replies[1]);
    expect(c.header.title.content).toBe('Logs · shop/web-1');
    const log = c.body.elements[0]?.content as string;
    expect(log.startsWith('```\n')).toBe(true);
    expect(log).toContain('line 4999 ');
    expect(log).not.toContain('line 0 ');
    expect(log).not.toContain('hunter22');
    expect(c.body.elements[1]?.content).toMatch(/^Showing the last \d+ lines \(\d+ cut to fit the card\)\.$/);
    expect(bytes(replies[1])).toBeLessThan(30 * 1024);
  });

  it('in an incident thread the workload and namespace are implied; its newest pod is read', async () => {
    const { tools, calls } = fakeTools({
      'k8s.resources_list': () => ok('k8s.resources_list', { items: [{ name: 'checkout-7d9f8b6c5-x2x9q' }] }),
      'k8s.pod_logs': () => ok('k8s.pod_logs', {}, 'ready'),
    });
    const { send, id, threadOf } = bench({ tools });
    const replies = await send('/logs --previous', threadOf(id));
    expect(calls).toEqual([
      ['k8s.resources_list', { kind: 'pod', namespace: 'shop' }],
      ['k8s.pod_logs', { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop', tail: 100, previous: true }],
    ]);
    expect(card(replies[1]).header.title.content).toBe('Logs · shop/checkout-7d9f8b6c5-x2x9q --previous');
  });

  it('an empty log says so; a failure stays text', async () => {
    const { tools } = fakeTools({ 'k8s.pod_logs': () => ok('k8s.pod_logs', {}, '') });
    expect(card((await bench({ tools }).send('/logs web-1 -n shop'))[1]).body.elements[0]?.content).toBe(
      'The log is empty.',
    );
    const failing = fakeTools({});
    expect((await bench({ tools: failing.tools }).send('/logs web-1 -n shop'))[1]).toBe(
      'The cluster did not answer: no fake for k8s.pod_logs',
    );
  });

  it('tailToFit cuts overlong lines and never splits the budget', () => {
    const { lines, cut } = tailToFit(`${'a'.repeat(5000)}\nshort\n`, 1000);
    expect(cut).toBe(0);
    expect(lines[0]?.length).toBeLessThan(410);
    expect(lines[1]).toBe('short');
  });
});

describe('/status as a card', () => {
  it('counts open incidents by priority, lists the newest and the unhealthy pods; colour follows the worst', async () => {
    const { tools } = fakeTools({
      'k8s.resources_list': () =>
        ok('k8s.resources_list', {
          items: [
            { namespace: 'shop', name: 'web-1', status: 'Running', restarts: 0 },
            { namespace: 'shop', name: 'web-2', status: 'CrashLoopBackOff', restarts: 7 },
            { namespace: 'shop', name: 'job-1', status: 'Completed', restarts: 0 },
            { namespace: 'shop', name: 'api-1', status: 'Running', restarts: 9 },
          ],
        }),
    });
    const { h, send, id } = bench({ tools });
    const p = h.store.incidents.get(id)?.priority as string;
    const replies = await send('/status shop');
    expect(replies[0]).toBe('Working on it…');
    const c = card(replies[1]);
    expect(c.header.title.content).toBe('Status · shop');
    expect(c.header.template).toBe(p === 'P0' ? 'red' : 'orange');
    const text = JSON.stringify(c);
    expect(text).toContain(`${p} 1`);
    expect(text).toContain(`**#${id}**`);
    expect(text).toContain('Pods not running or restarting** (2)');
    expect(text).toContain('shop/web-2 CrashLoopBackOff ↻7');
    expect(text).toContain('shop/api-1 Running ↻9');
    expect(text).not.toContain('web-1');
  });

  it('without cluster tools it answers from the store alone, at once; green when nothing is open', async () => {
    const { send } = bench();
    const c = card((await send('/status quiet'))[0]);
    expect(c.header.template).toBe('green');
    expect(JSON.stringify(c)).toContain('No open incidents.');
    expect(c.body.elements).toHaveLength(1);
  });
});

describe('/incidents as a card', () => {
  it('one line per incident, newest first, with a footer when more match than are shown', async () => {
    const { h, send } = bench();
    for (let i = 0; i < 25; i++) {
      openIncident(h, {
        groupKey: `g${i}`,
        title: `noisy <b>${i}</b>`,
        priority: 'P3',
        chatId: null,
        namespace: 'shop',
        cluster: null,
        labels: {},
        resources: [],
      });
    }
    const [reply] = await send('/incidents open');
    const c = card(reply);
    expect(c.header.title.content).toBe('Incidents · open');
    const rows = String(c.body.elements[0]?.content).split('\n');
    expect(rows).toHaveLength(20);
    expect(rows[0]).toContain('noisy &lt;b&gt;24&lt;/b&gt;');
    expect(JSON.stringify(c)).toContain('Showing the newest 20');
    expect((await send('/incidents resolved P0'))[0]).toBe('No incidents match.');
  });
});
