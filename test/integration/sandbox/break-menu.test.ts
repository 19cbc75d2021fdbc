import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreakMenu } from '../../../src/sandbox/alerting/breakage.js';
import { type ClusterSimulator, startClusterSimulator } from '../../../src/sandbox/cluster/index.js';
import type { FeishuEmulator } from '../../../src/sandbox/feishu/index.js';
import { mountBreakMenu } from '../../../src/sandbox/page/break-menu.js';
import { startTestEmulator } from '../../helpers/feishu-emulator.js';

describe('the page break menu', () => {
  let cluster: ClusterSimulator;
  let emu: FeishuEmulator;
  beforeAll(async () => {
    cluster = await startClusterSimulator({ world: { demo: true, tickMs: 0 } });
    const menu = new BreakMenu(cluster);
    emu = await startTestEmulator({ plugins: [(router) => mountBreakMenu(router, menu)] });
  });
  afterAll(async () => {
    await emu?.close();
    await cluster?.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}/sandbox/api${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists every simulator scenario and the alerts each raises', async () => {
    const r = await api('GET', '/breakage');
    expect(r.status).toBe(200);
    const names = (r.body.breakages as { name: string; alerts: string[] }[]).map((b) => b.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'crashloop',
        'image-pull',
        'node-notready',
        'job-failed',
        'volume-filling',
        'cpu-throttling',
      ]),
    );
    expect(names.length).toBe((cluster.world?.scenarios().length ?? 0) + 2);
  });

  it('breaks with a target, refuses an unknown name or a bad target with a reason, and heal puts it back', async () => {
    const before = JSON.stringify(cluster.store.get('Deployment', 'shop', 'cart')?.spec);
    const broke = await api('POST', '/breakage/image-pull', { namespace: 'shop', deployment: 'cart' });
    expect(broke.status).toBe(200);
    expect(String(broke.body.done)).toContain('shop/cart');
    expect(JSON.stringify(cluster.store.get('Deployment', 'shop', 'cart')?.spec)).not.toBe(before);
    expect((await api('GET', '/breakage')).body.broken).toEqual(['image-pull']);

    const unknown = await api('POST', '/breakage/meteor-strike', {});
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('meteor-strike');
    const bad = await api('POST', '/breakage/crashloop', { namespace: 'shop', deployment: 'nope' });
    expect(bad.status).toBe(404);
    expect(JSON.stringify(bad.body)).toContain('shop/nope');

    const healed = await api('POST', '/heal', {});
    expect(healed.status).toBe(200);
    expect(healed.body.done).toEqual(['restored Deployment/shop/cart']);
    expect(JSON.stringify(cluster.store.get('Deployment', 'shop', 'cart')?.spec)).toBe(before);
    expect((await api('GET', '/breakage')).body.broken).toEqual([]);
  });
});
