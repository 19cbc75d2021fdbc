import { mkdtempSync } from 'node:fs';
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
});
