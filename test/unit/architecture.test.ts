/**
 * The tree is the diagram: this test keeps the layers' import direction (architecture.md § Layers) and the
 * rule that only the composition root and config read process.env.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Import {
  from: string; // src-relative file
  target: string; // src-relative module path or package name
  typeOnly: boolean;
  local: boolean;
}

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, file);
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (!spec) continue;
    const target = spec.startsWith('.') ? relative(SRC, resolve(join(SRC, from, '..'), spec)) : spec;
    out.push({ from, target, typeOnly: Boolean(m[2]), local: spec.startsWith('.') });
  }
  return out;
}

const all = files(SRC).flatMap(importsOf);
const top = (p: string) => p.split('/')[0] ?? p;
const DOMAIN = ['alerts', 'incidents', 'agent', 'diagnosis', 'runbooks', 'approvals', 'commands', 'reports'];
const ADAPTER_PACKAGES = [
  'koa',
  '@koa/router',
  '@larksuiteoapi/node-sdk',
  '@kubernetes/client-node',
  'openai',
  'better-sqlite3',
];

describe('architecture', () => {
  it('only the composition root imports the sandbox', () => {
    const offenders = all.filter(
      (i) => top(i.target) === 'sandbox' && top(i.from) !== 'sandbox' && i.from !== 'main.ts',
    );
    expect(offenders).toEqual([]);
  });

  it('domain code never touches transport, adapters or their libraries', () => {
    const offenders = all.filter(
      (i) =>
        DOMAIN.includes(top(i.from)) &&
        !i.typeOnly &&
        (['http', 'feishu', 'sandbox', 'main.ts', 'cli.ts'].includes(top(i.target)) ||
          ADAPTER_PACKAGES.some((p) => i.target === p || i.target.startsWith(`${p}/`))),
    );
    expect(offenders).toEqual([]);
  });

  it('shared, ports and store depend on nothing above them', () => {
    const allowed: Record<string, string[]> = {
      shared: ['shared'],
      ports: ['shared', 'ports'],
      store: ['shared', 'store', 'ports'],
    };
    const offenders = all.filter((i) => {
      const layer = allowed[top(i.from)];
      return layer !== undefined && i.local && !layer.includes(top(i.target));
    });
    expect(offenders).toEqual([]);
  });

  it('sees the imports it checks (the scanner is not blind)', () => {
    expect(all).toContainEqual({ from: 'main.ts', target: 'http/server.js', typeOnly: false, local: true });
    expect(all).toContainEqual({ from: 'app/context.ts', target: 'store/index.js', typeOnly: true, local: true });
    expect(all.some((i) => i.from === 'store/db.ts' && i.target === 'better-sqlite3')).toBe(true);
  });

  it('nothing but main.ts, cli.ts and config.ts reads process.env', () => {
    const offenders = files(SRC)
      .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f))
      .filter((f) => !['main.ts', 'cli.ts', 'config.ts'].includes(f));
    expect(offenders).toEqual([]);
  });

  it('diagnosis reads the cluster only through the cluster-read port, never the tool layer', () => {
    const offenders = all.filter(
      (i) => top(i.from) === 'diagnosis' && i.local && ['mcp', 'sandbox', 'store'].includes(top(i.target)),
    );
    expect(offenders).toEqual([]);
    expect(all.some((i) => i.from === 'diagnosis/engine.ts' && i.target === 'ports/cluster.js')).toBe(true);
  });
});
