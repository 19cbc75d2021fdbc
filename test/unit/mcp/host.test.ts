import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpToolHost } from '../../../src/mcp/host.js';
import { DEFAULT_POLICY } from '../../../src/mcp/policy.js';
import { defineTool, registerTools } from '../../../src/mcp/tool.js';
import { silentLogger } from '../../../src/shared/log.js';
import { Store } from '../../../src/store/index.js';
import { approve } from '../../helpers/approvals.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const TINY = join(import.meta.dirname, '../../fixtures/mcp/tiny-server.mjs');

/** A built-in-style server with one write tool that records what it was asked to do. */
function fakeKubeServer(applied: unknown[]) {
  const scale = defineTool({
    name: 'scale',
    title: 'Scale',
    description: 'Scale a deployment',
    input: z.strictObject({
      namespace: z.string(),
      name: z.string(),
      replicas: z.number().int(),
      dryRun: z.boolean().default(false),
    }),
    safetyClass: 'write',
    namespaceArg: 'namespace',
    dryRun: true,
    async run(args) {
      if (!args.dryRun) applied.push(args);
      return {
        status: 'ok',
        data: { replicas: { from: 2, to: args.replicas } },
        text: `replicas 2 → ${args.replicas}`,
      };
    },
  });
  const big = defineTool({
    name: 'big',
    title: 'Big',
    description: 'Large output',
    input: z.strictObject({}),
    safetyClass: 'read',
    async run() {
      const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} password=hunter${i}`);
      return { status: 'ok', data: { lines }, text: lines.join('\n') };
    },
  });
  const slow = defineTool({
    name: 'slow',
    title: 'Slow',
    description: 'Never answers in time',
    input: z.strictObject({}),
    safetyClass: 'read',
    run: () => new Promise(() => {}),
  });
  const server = new McpServer({ name: 'fake', version: '1' });
  registerTools(server, [scale, big, slow], undefined);
  return server;
}

let store: Store;
let host: McpToolHost;
const applied: unknown[] = [];

beforeAll(async () => {
  store = Store.open(':memory:');
  host = await McpToolHost.start({
    builtIns: [{ name: 'k8s', server: fakeKubeServer(applied) }],
    external: { tiny: { command: process.execPath, args: [TINY], env: { TINY_TOKEN: 'tiny-secret-value' } } },
    toolClasses: {},
    policy: {
      ...DEFAULT_POLICY,
      people: [
        { id: 'ou_boss', roles: ['approver'] },
        { id: 'ou_viewer', roles: ['viewer'] },
      ],
    },
    log: silentLogger(),
    now: () => NOW,
    audit: store.audit,
    approvals: store.approvals,
    maxOutputChars: 4000,
  });
});
afterAll(async () => {
  await host.close();
  store.close();
});

describe('ToolHost', () => {
  it('lists external tools unclassified, ignoring their own read-only hints', () => {
    const tiny = host.list().filter((t) => t.server === 'tiny');
    expect(tiny.map((t) => [t.name, t.safetyClass])).toEqual([
      ['tiny.echo', undefined],
      ['tiny.wipe', undefined],
    ]);
  });

  it('denies an external tool until it is classified in config, then calls it', async () => {
    const denied = await host.call('tiny.echo', { message: 'hi' }, { kind: 'command', person: 'ou_boss' });
    expect(denied).toMatchObject({ kind: 'denied', decision: { rule: 'unclassified' } });
    expect(store.audit.list({ action: 'tool:tiny.echo' })[0]?.decision).toBe('deny');

    const classified = await McpToolHost.start({
      builtIns: [],
      external: { tiny: { command: process.execPath, args: [TINY], env: { TINY_TOKEN: 'tok_live_abcdef123456' } } },
      toolClasses: { 'tiny.echo': 'read' },
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: () => NOW,
    });
    try {
      const r = await classified.call('tiny.echo', { message: 'hi' }, { kind: 'llm' });
      expect(r).toMatchObject({ kind: 'ok' });
      // the external reply carried a credential: it is masked before it leaves the host
      if (r.kind === 'ok') {
        expect(r.text).toMatch(/^echo: hi \(token=\[REDACTED\]/);
        expect(r.text).not.toContain('tok_live_abcdef123456');
      }
      expect(await classified.call('tiny.wipe', {}, { kind: 'runbook' })).toMatchObject({ kind: 'denied' });
    } finally {
      await classified.close();
    }
  });

  it('a write from the LLM becomes an approval request with a dry-run preview, and nothing changes', async () => {
    const r = await host.call('k8s.scale', { namespace: 'shop', name: 'cart', replicas: 5 }, { kind: 'llm' });
    expect(r).toMatchObject({
      kind: 'approval_required',
      safetyClass: 'write',
      decision: { verdict: 'needs_approval', rule: 'llm_write' },
      preview: { replicas: { from: 2, to: 5 } },
    });
    expect(applied).toEqual([]);
    const row = store.audit.list({ action: 'tool:k8s.scale' })[0];
    expect(row).toMatchObject({ actor: 'llm', decision: 'needs_approval', target: 'shop/cart' });
  });

  it('a runbook write runs only with an approval granted by an approver, bound to the call', async () => {
    const args = { namespace: 'shop', name: 'cart', replicas: 3 };
    const pending = await host.call('k8s.scale', args, { kind: 'runbook' }, { approvalId: 'ap-1' });
    expect(pending).toMatchObject({ kind: 'approval_required' });
    if (pending.kind !== 'approval_required') return;
    expect(pending.decision.reason).toContain('ap-1 not found');
    expect(pending.binding).toMatchObject({ tool: 'k8s.scale', cluster: null, namespace: 'shop' });

    approve(store, pending.binding, NOW, 'ou_viewer', { id: 'ap-viewer' });
    const byViewer = await host.call('k8s.scale', args, { kind: 'runbook' }, { approvalId: 'ap-viewer' });
    expect(byViewer).toMatchObject({ kind: 'approval_required' });
    if (byViewer.kind === 'approval_required') expect(byViewer.decision.reason).toContain('who may not approve');

    approve(store, pending.binding, NOW, 'ou_boss', { id: 'ap-1' });
    const done = await host.call('k8s.scale', args, { kind: 'runbook', person: 'ou_boss' }, { approvalId: 'ap-1' });
    expect(done).toMatchObject({ kind: 'ok', dryRun: false, text: 'replicas 2 → 3' });
    expect(applied).toEqual([{ namespace: 'shop', name: 'cart', replicas: 3, dryRun: false }]);
    expect(store.audit.list({ action: 'tool:k8s.scale' })[0]).toMatchObject({
      decision: 'allow',
      detail: { approvalId: 'ap-1', outcome: 'ok', rule: 'approved' },
    });
    expect(store.approvals.get('ap-1')).toMatchObject({ usedAt: NOW, usedBy: 'ou_boss' });
  });

  it('an approval for one namespace does not authorise the same write elsewhere', async () => {
    const asked = await host.call('k8s.scale', { namespace: 'shop', name: 'api', replicas: 9 }, { kind: 'llm' });
    if (asked.kind !== 'approval_required') throw new Error(asked.kind);
    const id = approve(store, asked.binding, NOW);
    const r = await host.call(
      'k8s.scale',
      { namespace: 'payments', name: 'api', replicas: 9 },
      { kind: 'runbook' },
      { approvalId: id },
    );
    expect(r).toMatchObject({ kind: 'approval_required' });
    if (r.kind === 'approval_required')
      expect(r.decision.reason).toContain(`${id} approves namespace shop, not payments`);
    expect(applied).toHaveLength(1);
    expect(store.approvals.get(id)?.usedAt).toBeNull();
  });

  it('writes into a protected namespace are denied even with an approval', async () => {
    const r = await host.call(
      'k8s.scale',
      { namespace: 'kube-system', name: 'coredns', replicas: 0 },
      { kind: 'runbook' },
      { approvalId: 'ap-1' },
    );
    expect(r).toMatchObject({ kind: 'denied', decision: { rule: 'protected_namespace' } });
    expect(applied).toHaveLength(1);
  });

  it('caps output with an explicit truncated marker and redacts it', async () => {
    const r = await host.call('k8s.big', {}, { kind: 'llm' });
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.truncated).toBe(true);
    expect(r.text).toMatch(/\[truncated: 4000 of \d+ characters shown\]$/);
    expect(r.text).not.toMatch(/hunter\d/);
    expect(r.data).toMatchObject({ truncated: true });
  });

  it('configuration cannot reclassify a built-in tool', async () => {
    const h = await McpToolHost.start({
      builtIns: [{ name: 'k8s', server: fakeKubeServer([]) }],
      toolClasses: { 'k8s.scale': 'read' },
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: () => NOW,
    });
    try {
      expect(h.list().find((t) => t.name === 'k8s.scale')?.safetyClass).toBe('write');
      const r = await h.call('k8s.scale', { namespace: 'shop', name: 'cart', replicas: 1 }, { kind: 'llm' });
      expect(r.kind).toBe('approval_required');
    } finally {
      await h.close();
    }
  });

  it('times out a call and says so', async () => {
    const r = await host.call('k8s.slow', {}, { kind: 'llm' }, { timeoutMs: 100 });
    expect(r).toMatchObject({ kind: 'error', code: 'timeout', message: 'no result within 100 ms' });
  });

  it('an unknown tool or bad arguments are errors the caller can act on', async () => {
    expect(await host.call('k8s.nope', {}, { kind: 'llm' })).toMatchObject({ kind: 'error', code: 'unknown_tool' });
    const bad = await host.call(
      'k8s.scale',
      { namespace: 'shop', name: 'cart', replicas: 'many' },
      { kind: 'command' },
      { dryRun: true },
    );
    expect(bad).toMatchObject({ kind: 'error', code: 'invalid_arguments' });
    if (bad.kind === 'error') expect(bad.message).toContain('replicas');
  });
});

describe('the namespace a call acts on', () => {
  it('comes from the argument the tool declares, whatever it is called', async () => {
    const ran: unknown[] = [];
    const copy = defineTool({
      name: 'copy',
      title: 'Copy a secret',
      description: 'Copy into a target namespace',
      input: z.strictObject({ from: z.string(), target: z.string() }),
      safetyClass: 'write',
      namespaceArg: 'target',
      async run(args) {
        ran.push(args);
        return { status: 'ok', data: {}, text: 'copied' };
      },
    });
    const server = new McpServer({ name: 'fake', version: '1' });
    registerTools(server, [copy], undefined);
    const h = await McpToolHost.start({
      builtIns: [{ name: 'k8s', server }],
      policy: DEFAULT_POLICY,
      log: silentLogger(),
      now: () => NOW,
    });
    try {
      const r = await h.call('k8s.copy', { from: 'shop', target: 'kube-system' }, { kind: 'command' });
      expect(r).toMatchObject({ kind: 'denied', decision: { rule: 'protected_namespace' } });
      expect(ran).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('a write tool that does not declare its target namespace is refused at registration', () => {
    const undeclared = defineTool({
      name: 'wipe',
      title: 'Wipe',
      description: 'Wipe something',
      input: z.strictObject({ namespace: z.string() }),
      safetyClass: 'destructive',
      run: async () => ({ status: 'ok', data: {}, text: '' }),
    });
    expect(() => registerTools(new McpServer({ name: 'x', version: '1' }), [undeclared], undefined)).toThrow(
      'tool wipe is destructive and must declare namespaceArg',
    );
  });
});
