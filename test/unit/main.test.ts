import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type CliIo, main, startApp } from '../../src/main.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { FakeFeishu } from '../helpers/fake-feishu.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l), onSignal: () => () => {} };
  return { cli, out, err };
}

const TENANT = {
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
  FEISHU_APP_SECRET: 'x',
  ALERTMANAGER_WEBHOOK_TOKEN: 'none',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
};

/** A YAML file in a fresh directory; returns its path. */
function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-main-'));
  const path = join(dir, 'bot.yaml');
  writeFileSync(path, text);
  return path;
}

describe('CLI', () => {
  it('validate lists every problem and exits 1', async () => {
    const { cli, err } = io({ PORT: 'x', BOT_LOCALE: 'fr', SRE_NANOBOT_CONFIG: '/does/not/exist.yaml' });
    expect(await main(['validate'], cli)).toBe(1);
    const text = err.join('\n');
    expect(text).toMatch(/^Configuration has 3 problem\(s\):/);
    for (const key of ['PORT', 'BOT_LOCALE', 'SRE_NANOBOT_CONFIG']) expect(text).toMatch(new RegExp(`\n {2}- ${key}:`));
  });

  it('an unknown verb prints usage and exits 2', async () => {
    const { cli, err } = io();
    expect(await main(['frobnicate'], cli)).toBe(2);
    expect(err[0]).toMatch(/^unknown command: frobnicate\n\nUsage: sre-nanobot/);
  });

  it('serve stops cleanly on a signal: stops accepting, closes the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-main-'));
    const env = {
      FEISHU_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
      FEISHU_APP_SECRET: 'x',
      ALERTMANAGER_WEBHOOK_TOKEN: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: join(dir, 'db.sqlite'),
      LOG_LEVEL: 'silent',
      SRE_NANOBOT_CONFIG: '',
    };
    const result = loadConfig(env, { readFile: () => undefined });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const app = await startApp(result.config, {
      log: silentLogger(),
      metrics: new Metrics({ defaultMetrics: false }),
      feishu: new FakeFeishu(() => Date.now()),
    });
    const base = `http://127.0.0.1:${app.address.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await app.stop();
    expect(app.ctx.store.isOpen()).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await app.stop(); // idempotent
  });

  it('validate reports every problem serve would hit in one run, and still checks the cards', async () => {
    const file = configFile(
      ["production_namespaces: ['prod[']", 'reports: { daily: "0 25 * * *" }', 'watchdog_timeout: 10 minutes'].join(
        '\n',
      ),
    );
    const { cli, out, err } = io({ ...TENANT, SRE_NANOBOT_CONFIG: file, PROMETHEUS_URL: 'http://u:hunter2@prom:0x' });
    expect(await main(['validate'], cli)).toBe(1);
    const text = err.join('\n');
    expect(text).toMatch(/^Configuration has 4 problem\(s\):/);
    for (const key of ['production_namespaces[0]', 'reports.daily', 'watchdog_timeout', 'PROMETHEUS_URL']) {
      expect(text).toContain(key);
    }
    expect(text).not.toContain('hunter2');
    expect(out).toEqual([]);
  });

  it('validate names the URLs serve will use, credentials masked, then the cards', async () => {
    const file = configFile('routes: []\n');
    const env = {
      ...TENANT,
      SRE_NANOBOT_CONFIG: file,
      PROMETHEUS_URL: 'https://reader:hunter2@prom.example/?token=t0k',
    };
    const { cli, out, err } = io(env);
    expect(await main(['validate'], cli)).toBe(0);
    expect(err).toEqual([]);
    const text = out.join('\n');
    expect(text).toMatch(/^configuration OK \(.*bot\.yaml; mode: tenant\)/);
    expect(text).toMatch(/Prometheus +https:\/\/reader:\[REDACTED\]@prom\.example\/\?token=\[REDACTED\]/);
    expect(text).not.toMatch(/hunter2|t0k/);
    expect(text).toMatch(/cards OK \(\d+ templates\)$/);
  });

  it('validate says how the sandbox will use the file', async () => {
    const file = configFile('clusters: [{ name: prod-eu, context: prod-eu }]\n');
    const { cli, out } = io({ SRE_NANOBOT_CONFIG: file, LOG_LEVEL: 'silent' });
    expect(await main(['validate'], cli)).toBe(0);
    expect(out.join('\n')).toMatch(
      /mode: sandbox\)\n {2}the sandbox layers this file over its demo .*; clusters left out/,
    );
  });

  it('serve refuses a configuration validate refuses, before starting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-main-'));
    const file = configFile("production_namespaces: ['prod[']\n");
    const { cli, err } = io({ ...TENANT, SRE_NANOBOT_CONFIG: file, DATABASE_PATH: join(dir, 'db.sqlite') });
    expect(await main(['serve'], cli)).toBe(1);
    expect(err.join('\n')).toMatch(/production_namespaces\[0\]: invalid regular expression/);
  });

  it('the process exits non-zero at once when serve cannot start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanobot-main-'));
    const file = configFile("production_namespaces: ['prod[']\n");
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/cli.ts'), 'serve'], {
      env: { PATH: process.env.PATH, ...TENANT, SRE_NANOBOT_CONFIG: file, DATABASE_PATH: join(dir, 'db.sqlite') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.signal).toBeNull(); // not killed by the timeout: it exited by itself
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('production_namespaces[0]: invalid regular expression');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 25_000);
});
