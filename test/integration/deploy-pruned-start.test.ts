/**
 * The image's run stage without Docker: in a temporary copy laid out as the Dockerfile lays out /app — the
 * repository's dependencies (hard-linked, as `npm ci` would have installed them; no network), `npm run build`,
 * then `npm prune --omit=dev --offline` — the production command (`MALLOC_ARENA_MAX=2 node --optimize-for-size
 * dist/cli.js`, no tsx, no dev dependency left) starts the bot and `/healthz` answers. The files the run stage
 * copies are taken from the Dockerfile itself, so a COPY line that names something the bot needs is checked.
 * About a minute of build and prune, so it runs in CI (`.ci/run` sets CI=true) or with CI=1 locally.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, ROOT, startBot, tenantEnv } from '../helpers/bot-process.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** What the run stage copies from the build context (not from the build stage). */
const RUN_STAGE_FILES = [
  ...(dockerfile
    .split(/^FROM /m)
    .at(-1)
    ?.matchAll(/^COPY (?!--from)(.+) \S+$/gm) ?? []),
].flatMap((m) => (m[1] as string).split(/\s+/));

describe.skipIf(!process.env.CI)('pruned production install', () => {
  let dir: string;
  let bot: BotProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-pruned-'));
    for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'])
      cpSync(join(ROOT, f), join(dir, f));
    for (const d of ['scripts', 'src']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
    // Hard links: a copy of the installed tree that pruning can change without touching the repository's.
    execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
    const build = spawnSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8' });
    expect(build.status, build.stderr + build.stdout).toBe(0);
    const prune = spawnSync('npm', ['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(prune.status, prune.stderr + prune.stdout).toBe(0);
    rmSync(join(dir, 'src'), { recursive: true });
    for (const f of RUN_STAGE_FILES) if (f !== 'package.json') cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no dev tool behind (type packages a runtime dependency pulls in may stay)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const tools = Object.keys(pkg.devDependencies).filter((d) => !d.startsWith('@types/'));
    expect(tools.length).toBeGreaterThan(3);
    expect(tools.filter((d) => existsSync(join(dir, 'node_modules', d)))).toEqual([]);
    expect(RUN_STAGE_FILES).toEqual(expect.arrayContaining(['cards', 'runbooks', 'prompts']));
  });

  it('starts with the production command and answers /healthz', async () => {
    bot = startBot(
      tenantEnv({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2', DATABASE_PATH: join(dir, 'data', 'bot.db') }),
      { args: ['--optimize-for-size', 'dist/cli.js'], cwd: dir },
    );
    const port = await bot.listening;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status, bot.output()).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(await bot.stop()).toBe(0);
    bot = undefined;
  }, 60_000);
});
