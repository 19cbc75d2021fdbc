/**
 * The Alertmanager tools against a real Alertmanager (the Debian `prometheus-alertmanager` binary on loopback,
 * no clustering): alert groups as it routes them, silences listed, a silence proposed by the assistant becoming
 * an approval whose preview names the alerts it would hold, created once (a retry reuses it), then expired.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerServer } from '../../src/mcp/alertmanager/server.js';
import { McpToolHost } from '../../src/mcp/host.js';
import { DEFAULT_POLICY } from '../../src/mcp/policy.js';
import type { ToolResult } from '../../src/ports/tools.js';
import { silentLogger } from '../../src/shared/log.js';

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const BINARY = which('prometheus-alertmanager') ?? which('alertmanager');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let am: ChildProcess | undefined;
let dir: string;
let url: string;
let host: McpToolHost;
const llm = { kind: 'llm' } as const;
const ok = (r: ToolResult) => {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r, null, 1)}`);
  return r;
};

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!BINARY)('Alertmanager tools against a real Alertmanager', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-am-'));
    writeFileSync(
      join(dir, 'am.yml'),
      [
        'route:',
        '  receiver: sre-nanobot',
        '  group_by: [alertname, namespace]',
        'receivers:',
        '  - name: sre-nanobot',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    am = spawn(
      BINARY as string,
      [
        `--config.file=${join(dir, 'am.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    await until('Alertmanager to answer', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
    const alert = (alertname: string, labels: Record<string, string>, summary: string) => ({
      labels: { alertname, severity: 'warning', ...labels },
      annotations: { summary },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const res = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert(
          'KubePodCrashLooping',
          { namespace: 'shop', pod: 'checkout-7d9f8b6c5-x2x9q' },
          'checkout is crash looping',
        ),
        alert(
          'KubePodCrashLooping',
          { namespace: 'shop', pod: 'checkout-7d9f8b6c5-k2l4m' },
          'checkout is crash looping',
        ),
        alert(
          'KubeHpaMaxedOut',
          { namespace: 'shop', horizontalpodautoscaler: 'frontend' },
          'frontend is at its maximum',
        ),
      ]),
    });
    expect(res.ok).toBe(true);
    host = await McpToolHost.start({
      builtIns: [
        { name: 'alertmanager', server: createAlertmanagerServer({ baseUrl: url, timeoutMs: 5000, now: Date.now }) },
      ],
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: Date.now,
    });
    await until('the alerts to be grouped', async () => {
      const r = await host.call('alertmanager.alert_groups', {}, llm);
      return r.kind === 'ok' && (r.data as { total: number }).total === 2 ? true : undefined;
    });
  }, 30_000);
  afterAll(async () => {
    await host?.close();
    am?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the tools: two reads, two writes with a dry run', () => {
    const byName = new Map(host.list().map((t) => [t.name, t]));
    expect(byName.get('alertmanager.alert_groups')).toMatchObject({ safetyClass: 'read' });
    expect(byName.get('alertmanager.silences_list')).toMatchObject({ safetyClass: 'read' });
    expect(byName.get('alertmanager.silence_create')).toMatchObject({ safetyClass: 'write', supportsDryRun: true });
    expect(byName.get('alertmanager.silence_expire')).toMatchObject({ safetyClass: 'write', supportsDryRun: true });
  });

  it('alert_groups: the groups as routed, with their alerts, and a filter', async () => {
    const r = ok(await host.call('alertmanager.alert_groups', {}, llm));
    const groups = (r.data as { groups: { group: Record<string, string>; receiver: string; alerts: unknown[] }[] })
      .groups;
    const crash = groups.find((g) => g.group.alertname === 'KubePodCrashLooping');
    expect(crash).toMatchObject({
      group: { alertname: 'KubePodCrashLooping', namespace: 'shop' },
      receiver: 'sre-nanobot',
    });
    expect(crash?.alerts).toHaveLength(2);
    expect(r.text).toContain('[active] since');
    expect(r.text).toContain('— checkout is crash looping');
    const one = ok(await host.call('alertmanager.alert_groups', { filter: ['alertname="KubeHpaMaxedOut"'] }, llm));
    expect((one.data as { total: number }).total).toBe(1);
    const bad = await host.call('alertmanager.alert_groups', { filter: ['alertname=KubeHpaMaxedOut'] }, llm);
    expect(bad.kind).toBe('error');
  });

  it('silence_create from the assistant is an approval whose preview names the alerts it would hold; nothing is created', async () => {
    const args = {
      matchers: [
        { name: 'alertname', value: 'KubePodCrashLooping' },
        { name: 'namespace', value: 'shop' },
      ],
      duration: '2h',
      comment: 'rollback of checkout in progress',
    };
    const r = await host.call('alertmanager.silence_create', args, llm);
    expect(r.kind).toBe('approval_required');
    if (r.kind !== 'approval_required') return;
    const preview = r.preview as { affected: { alertname: string }[]; changes: unknown[] };
    expect(preview.affected.map((a) => a.alertname)).toEqual(['KubePodCrashLooping', 'KubePodCrashLooping']);
    expect(preview.changes).toHaveLength(1);
    const listed = await host.call('alertmanager.silences_list', {}, llm);
    expect(listed.kind).toBe('no_data');
  });

  it('silence_create (approved path) creates once — a retry reuses it — and silence_expire ends it', async () => {
    const { silenceCreateTool } = await import('../../src/mcp/alertmanager/silence-create.js');
    const { silenceExpireTool } = await import('../../src/mcp/alertmanager/silence-expire.js');
    const deps = { baseUrl: url, timeoutMs: 5000, now: Date.now };
    const ctx = { signal: AbortSignal.timeout(10_000) };
    const args = silenceCreateTool.input.parse({
      matchers: [{ name: 'alertname', value: 'KubeHpaMaxedOut' }],
      duration: '30m',
      comment: 'raising the maximum',
      createdBy: 'ou_alice',
    });
    const first = await silenceCreateTool.run(args, deps, ctx);
    if (first.status !== 'ok') throw new Error(JSON.stringify(first));
    const id = (first.data as { silenceId: string }).silenceId;
    const again = await silenceCreateTool.run(args, deps, ctx);
    expect(again).toMatchObject({ status: 'ok', data: { silenceId: id, reused: true, changes: [] } });

    const list = ok(await host.call('alertmanager.silences_list', {}, llm));
    expect((list.data as { silences: { id: string; matchers: string; createdBy: string }[] }).silences).toEqual([
      expect.objectContaining({ id, matchers: 'alertname="KubeHpaMaxedOut"', createdBy: 'ou_alice' }),
    ]);
    await until('the alert to be silenced', async () => {
      const g = ok(await host.call('alertmanager.alert_groups', { filter: ['alertname="KubeHpaMaxedOut"'] }, llm));
      return g.text.includes(`silenced by ${id}`) ? true : undefined;
    });

    const dry = await silenceExpireTool.run(silenceExpireTool.input.parse({ id, dryRun: true }), deps, ctx);
    expect(dry).toMatchObject({ status: 'ok', data: { state: 'active' } });
    const done = await silenceExpireTool.run(silenceExpireTool.input.parse({ id }), deps, ctx);
    expect(done).toMatchObject({ status: 'ok', data: { changes: [{ to: 'expired' }] } });
    const twice = await silenceExpireTool.run(silenceExpireTool.input.parse({ id }), deps, ctx);
    expect(twice.status === 'ok' && twice.text).toContain('already expired; nothing to do');
    const expired = ok(await host.call('alertmanager.silences_list', { state: 'expired' }, llm));
    expect((expired.data as { silences: { id: string }[] }).silences.map((s) => s.id)).toContain(id);
    const unknown = await silenceExpireTool.run(
      silenceExpireTool.input.parse({ id: '00000000-0000-4000-8000-000000000000' }),
      deps,
      ctx,
    );
    expect(unknown).toMatchObject({ status: 'error', reason: 'request' });
  });

  it('refuses a duration outside 1m–7d, and an id that is not a UUID, before any request', async () => {
    const { silenceCreateTool } = await import('../../src/mcp/alertmanager/silence-create.js');
    const { silenceExpireTool } = await import('../../src/mcp/alertmanager/silence-expire.js');
    const base = { matchers: [{ name: 'alertname', value: 'X' }], comment: 'maintenance' };
    expect(silenceCreateTool.input.safeParse({ ...base, duration: '30d' }).success).toBe(false);
    expect(silenceCreateTool.input.safeParse({ ...base, duration: '30s' }).success).toBe(false);
    expect(silenceCreateTool.input.safeParse({ ...base, duration: '7d' }).success).toBe(true);
    expect(silenceExpireTool.input.safeParse({ id: '../silences' }).success).toBe(false);
  });
});
