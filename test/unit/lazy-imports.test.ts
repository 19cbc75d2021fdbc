/**
 * What `serve` loads: the modules reachable from src/cli.ts through static value imports. The sandbox, the
 * stdio MCP servers, the OpenAI client and the external MCP transports are imported only when their mode
 * starts (`await import(...)` in the composition root), so they cost the production process no memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Static value imports and re-exports (not `import type`, not `import()`). */
const STATIC = /^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const spec = m[1] as string;
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (existsSync(target)) visit(target);
    }
  };
  visit(entry);
  return { files: new Set([...files].map((f) => relative(SRC, f))), packages };
}

describe('modules loaded by serve', () => {
  const graph = staticGraph(resolve(SRC, 'cli.ts'));

  it('reaches the bot itself', () => {
    expect(graph.files).toContain('main.ts');
    expect(graph.files).toContain('feishu/gateway.ts');
    expect(graph.files).toContain('store/index.ts');
  });

  it('leaves out the sandbox, the stdio MCP servers and the LLM adapter', () => {
    const loaded = [...graph.files].filter(
      (f) => f.startsWith('sandbox/') || f === 'mcp/stdio.ts' || f === 'llm/openai.ts',
    );
    expect(loaded).toEqual([]);
  });

  it('leaves out the OpenAI SDK and the MCP stdio/HTTP transports', () => {
    const loaded = [...graph.packages].filter(
      (p) =>
        p === 'openai' ||
        p.startsWith('@modelcontextprotocol/sdk/server/stdio') ||
        p.startsWith('@modelcontextprotocol/sdk/client/stdio') ||
        p.startsWith('@modelcontextprotocol/sdk/client/streamableHttp'),
    );
    expect(loaded).toEqual([]);
  });
});
