/** The Dockerfile copies only what exists, and runs the production command as a non-root user. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('Dockerfile', () => {
  it('copies files that exist in the repository (build context)', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) expect(existsSync(join(ROOT, s)), s).toBe(true);
  });

  it('runs MALLOC_ARENA_MAX=2 node --optimize-for-size dist/cli.js as non-root, with a /healthz check', () => {
    expect(dockerfile).toMatch(/^ENV .*MALLOC_ARENA_MAX=2/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--optimize-for-size", "dist\/cli.js"\]$/m);
    expect(dockerfile).toMatch(/^USER 10001/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/healthz/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });
});
