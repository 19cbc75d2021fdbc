/**
 * The production build: `scripts/build.mjs` compiles src/ into an output directory that plain node runs — the
 * CLI validates the configuration, the runbooks and the card templates (read from runbooks/ and cards/ relative to
 * the compiled module), the stdio MCP server answers an MCP client, and the sandbox page finds its copied assets.
 * The output goes to a temporary directory laid out like the repository (package.json, node_modules, cards and
 * runbooks beside it).
 * Also: bin/sre-nanobot.js runs the compiled CLI only when it is not older than the sources.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLEAN_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SRE_NANOBOT_CONFIG: '' };

/** A directory shaped like the repository: package.json (ESM), node_modules and the data folders (cards, runbooks, prompts). */
function repoLike(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  for (const name of ['node_modules', 'cards', 'runbooks', 'prompts'])
    symlinkSync(join(ROOT, name), join(dir, name), 'dir');
  return dir;
}

describe('production build', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = repoLike('sre-nanobot-build-');
    out = join(dir, 'dist');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), out], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toContain('built');
    expect(r.status).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs `validate` with plain node, reading the runbooks and card templates from the compiled location', () => {
    const r = spawnSync(process.execPath, [join(out, 'cli.js'), 'validate'], {
      cwd: dir,
      env: CLEAN_ENV,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/configuration OK/);
    expect(r.stdout).toMatch(/runbooks OK \([1-9]\d* runbooks\)/);
    expect(r.stdout).toMatch(/cards OK \([1-9]\d* templates\)/);
    expect(r.status).toBe(0);
  });

  it('serves `mcp prometheus` over stdio from the compiled CLI', async () => {
    const client = new Client({ name: 'build-test', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(out, 'cli.js'), 'mcp', 'prometheus'],
        cwd: dir,
        env: { ...CLEAN_ENV, LOG_LEVEL: 'silent', PROMETHEUS_URL: 'http://127.0.0.1:9' },
        stderr: 'pipe',
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('copies the sandbox page assets next to the compiled page module', () => {
    const page = pathToFileURL(join(out, 'sandbox/page/index.js')).href;
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(page)}); console.log(m.rendererSource())`],
      { cwd: dir, env: CLEAN_ENV, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('SandboxCards');
  });
});

describe('bin/sre-nanobot.js', () => {
  let dir: string;
  beforeAll(() => {
    dir = repoLike('sre-nanobot-bin-');
    symlinkSync(join(ROOT, 'src'), join(dir, 'src'), 'dir');
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(ROOT, 'bin/sre-nanobot.js'), join(dir, 'bin/sre-nanobot.js'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/cli.js'), "console.log('compiled build');\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = () =>
    spawnSync(process.execPath, [join(dir, 'bin/sre-nanobot.js'), 'help'], {
      cwd: dir,
      env: CLEAN_ENV,
      encoding: 'utf8',
    });

  it('runs dist/cli.js when it is newer than every source file', () => {
    const later = new Date(Date.now() + 3_600_000);
    utimesSync(join(dir, 'dist/cli.js'), later, later);
    const r = run();
    expect(r.stdout.trim()).toBe('compiled build');
    expect(r.status).toBe(0);
  });

  it('falls back to the TypeScript sources through tsx when dist/cli.js is older than a source file', () => {
    const old = new Date('2000-01-01T00:00:00Z');
    utimesSync(join(dir, 'dist/cli.js'), old, old);
    const r = run();
    expect(r.stdout).toContain('Usage: sre-nanobot <command>');
    expect(r.status).toBe(0);
  });
});
