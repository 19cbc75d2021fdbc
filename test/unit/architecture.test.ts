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

  it('shared, ports and store depend on nothing above them (ports and store may use domain models, ports domain types)', () => {
    const allowed: Record<string, string[]> = {
      shared: ['shared'],
      ports: ['shared', 'ports'],
      store: ['shared', 'store', 'ports'],
    };
    // A domain's `model.ts` holds only zod schemas and the types inferred from them.
    const model = (i: Import) => ['ports', 'store'].includes(top(i.from)) && /^\w+\/model\.js$/.test(i.target);
    // A port's signature may name domain types; a type-only import couples nothing at run time.
    const portType = (i: Import) =>
      top(i.from) === 'ports' && i.typeOnly && [...DOMAIN, 'access'].includes(top(i.target));
    const offenders = all.filter((i) => {
      const layer = allowed[top(i.from)];
      return layer !== undefined && i.local && !layer.includes(top(i.target)) && !model(i) && !portType(i);
    });
    expect(offenders).toEqual([]);
  });

  it('alerts/ is pure: it imports neither incidents/ nor the store', () => {
    const offenders = all.filter(
      (i) => top(i.from) === 'alerts' && i.local && ['incidents', 'store'].includes(top(i.target)),
    );
    expect(offenders).toEqual([]);
  });

  it('domain code reaches the store only through its types (and the group-commit helper)', () => {
    const offenders = all.filter(
      (i) =>
        DOMAIN.includes(top(i.from)) &&
        top(i.target) === 'store' &&
        !i.typeOnly &&
        i.target !== 'store/group-commit.js',
    );
    expect(offenders).toEqual([]);
  });

  it('domain models import nothing but zod, shared and other models', () => {
    const offenders = all.filter(
      (i) =>
        /\/model\.ts$/.test(i.from) &&
        (i.local ? !(top(i.target) === 'shared' || /\/model\.js$/.test(i.target)) : i.target !== 'zod'),
    );
    expect(offenders).toEqual([]);
  });

  it('no SQL outside src/store/ (and the report read models): nothing else touches store.db', () => {
    const offenders = files(SRC)
      .filter((f) => /\bstore\.db\b|\.db\.prepare\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f))
      .filter(
        (f) => top(f) !== 'store' && f !== 'main.ts' && f !== 'reports/queries.ts' && !f.startsWith('console/queries/'),
      );
    expect(offenders).toEqual([]);
  });

  it('each domain type has one definition', () => {
    // A type or schema of these names is exported by exactly one file of the product (the sandbox simulates other
    // systems and keeps their vocabulary, e.g. the apiserver's own ResourceRef).
    const NAMES = [
      'Priority',
      'PrioritySchema',
      'Role',
      'RoleSchema',
      'SafetyClass',
      'SafetyClassSchema',
      'Incident',
      'IncidentSchema',
      'IncidentStatus',
      'Alert',
      'AlertSchema',
      'AlertStatus',
      'RunbookRun',
      'RunbookRunSchema',
      'ResourceRef',
      'ResourceRefSchema',
      'TimelineEntry',
      'Approval',
    ];
    const defined = new Map<string, string[]>();
    for (const f of files(SRC).filter((p) => top(relative(SRC, p)) !== 'sandbox')) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^export\s+(?:type|interface|const|class|enum)\s+([A-Za-z_]\w*)/gm)) {
        const name = m[1] as string;
        if (!NAMES.includes(name)) continue;
        defined.set(name, [...(defined.get(name) ?? []), relative(SRC, f)]);
      }
    }
    const doubled = [...defined].filter(([, where]) => where.length > 1);
    expect(doubled).toEqual([]);
    expect(defined.get('Priority')).toEqual(['alerts/model.ts']);
    expect(defined.get('Incident')).toEqual(['incidents/model.ts']);
    expect(defined.get('ResourceRef')).toEqual(['shared/resource-ref.ts']);
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
