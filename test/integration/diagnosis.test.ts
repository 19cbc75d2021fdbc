/**
 * The diagnosis engine end to end against the simulator: a healthy namespace says what was checked, scopes
 * (resource, node, incident) keep to their objects, Prometheus numbers carry their query, the card stays
 * free of Secret values, both locales word it, and the CLI verb prints it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDiagnosisCard } from '../../src/cards/diagnosis.js';
import { main } from '../../src/main.js';
import type { MetricsQuery } from '../../src/ports/metrics-query.js';
import { writeKubeconfig } from '../../src/sandbox/cluster/kubeconfig.js';
import { translator } from '../../src/shared/i18n.js';
import { type DiagnosisWorld, diagnosisWorld } from '../helpers/diagnosis-world.js';

let world: DiagnosisWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('diagnosis', () => {
  it('a healthy namespace gives no finding and says what was checked', async () => {
    world = await diagnosisWorld();
    const d = await world.diagnose('shop');
    expect(d.verdict).toBe('healthy');
    expect(d.findings).toEqual([]);
    const card = JSON.stringify(renderDiagnosisCard(d, translator('en-US')));
    expect(card).toContain('no problems found');
    expect(card).toMatch(/Checked \d+ pods, 3 deployments, 3 services.* in shop/);
  });

  it('a resource scope keeps to the resource and its chain; an unknown resource says it was not found', async () => {
    world = await diagnosisWorld();
    world.sim.inject('crashloop', {});
    world.sim.inject('no-endpoints', { service: 'cart' });
    await world.run(60);
    const all = await world.diagnose('shop');
    expect(all.findings.map((f) => `${f.pattern} ${f.resource.name}`).sort()).toEqual([
      'pod.crash_loop checkout',
      'service.no_endpoints cart',
    ]);
    const one = await world.diagnose({
      kind: 'resource',
      ref: { cluster: '', kind: 'deployment', namespace: 'shop', name: 'checkout' },
    });
    expect(one.findings.map((f) => f.pattern)).toEqual(['pod.crash_loop']);
    const svc = await world.diagnose({
      kind: 'incident',
      id: '12',
      cluster: '',
      namespace: 'shop',
      resources: [{ cluster: '', kind: 'service', namespace: 'shop', name: 'cart' }],
    });
    expect(svc.target).toBe('incident #12');
    expect(svc.findings.map((f) => f.pattern)).toEqual(['service.no_endpoints']);
    const missing = await world.diagnose({
      kind: 'resource',
      ref: { cluster: '', kind: 'deployment', namespace: 'shop', name: 'nope' },
    });
    expect(missing.verdict).toBe('inconclusive');
    expect(missing.problems.join()).toContain('deployment/nope not found in namespace shop');
  });

  it('a node scope reads every namespace and lists the pods the node affects', async () => {
    world = await diagnosisWorld();
    world.sim.inject('node-notready', { node: 'node-2' });
    await world.run(30);
    const d = await world.diagnose({ kind: 'resource', ref: { cluster: '', kind: 'node', name: 'node-2' } });
    expect(d.findings[0]).toMatchObject({ pattern: 'node.not_ready', resource: { kind: 'node', name: 'node-2' } });
    const spaces = new Set(d.findings[0]?.affected.map((a) => a.namespace));
    expect(spaces.size).toBeGreaterThan(1);
  });

  it('adds Prometheus numbers with their query when a metrics port is given', async () => {
    world = await diagnosisWorld();
    world.sim.inject('oomkilled', {});
    await world.run(60);
    const queries: string[] = [];
    const metrics: MetricsQuery = {
      graphUrl: (q) => `http://prom.test/graph?g0.expr=${encodeURIComponent(q)}`,
      async instant(q) {
        queries.push(q);
        if (q.includes('container_memory_working_set_bytes')) return [{ labels: {}, value: 255 * 2 ** 20 }];
        if (q.includes('restarts_total')) return [{ labels: {}, value: 7 }];
        throw new Error('bad_data');
      },
    };
    const d = await world.diagnose('shop', { metrics });
    const ev = d.findings[0]?.evidence.filter((e) => e.type === 'metric') ?? [];
    expect(ev.map((e) => e.type === 'metric' && e.value)).toEqual([
      'peak working set 255Mi of the 256Mi limit (100%)',
      '7 restarts in the last hour',
    ]);
    expect(queries[0]).toContain('namespace="shop",pod=~"checkout-');
    expect(ev[0]).toMatchObject({ url: expect.stringContaining('http://prom.test/graph') });
  });

  it('never puts a Secret value into the finding or the card', async () => {
    world = await diagnosisWorld();
    // The env values and the Secret the workload reads are credentials.
    world.modify('Deployment', 'shop', 'checkout', (d) => {
      d.spec.template.spec.containers[0].env.push({ name: 'API_TOKEN', value: 'tok_live_8c1f2e9d7a' });
      d.spec.template.spec.containers[0].image = 'registry.local/shop/checkout:9.9.9-missing';
    });
    world.sim.world?.images.markMissing('registry.local/shop/checkout:9.9.9-missing');
    await world.run(60);
    const d = await world.diagnose('shop');
    expect(d.findings[0]?.pattern).toBe('pod.image_pull');
    const text = JSON.stringify(d) + JSON.stringify(renderDiagnosisCard(d, translator('zh-CN')));
    expect(text).toContain('API_TOKEN');
    for (const secret of ['tok_live_8c1f2e9d7a', 'sandbox-only', Buffer.from('sandbox-only').toString('base64')])
      expect(text).not.toContain(secret);
  });

  it('words findings in zh-CN from the same catalog', async () => {
    world = await diagnosisWorld();
    world.sim.inject('missing-secret', {});
    await world.run(30);
    const d = await world.diagnose('shop', { locale: 'zh-CN' });
    expect(d.findings[0]?.cause).toContain('checkout-db-credentials');
    expect(d.findings[0]?.cause).toContain('不存在');
  });

  it('sre-nanobot diagnose prints the diagnosis (text or --json) and refuses a malformed target', async () => {
    world = await diagnosisWorld();
    world.sim.inject('image-pull', {});
    await world.run(30);
    const dir = mkdtempSync(join(tmpdir(), 'diag-cli-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeKubeconfig(kubeconfig, world.sim.url);
      const run = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(['diagnose', ...argv], {
          env: { KUBECONFIG: kubeconfig, BOT_LOCALE: 'en-US', DATABASE_PATH: ':memory:' },
          out: (l) => out.push(l),
          err: (l) => err.push(l),
          onSignal: () => () => {},
        });
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      const text = await run('deploy/checkout', '-n', 'shop');
      expect(text.code).toBe(0);
      expect(text.out).toContain('ImagePullBackOff');
      expect(text.out).toContain('deployment-rollback');
      const json = await run('shop', '--json');
      expect(JSON.parse(json.out)).toMatchObject({ verdict: 'problems', findings: [{ pattern: 'pod.image_pull' }] });
      const bad = await run('deploy/checkout');
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('needs a namespace: add -n <namespace>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
