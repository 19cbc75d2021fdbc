import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';

/** The real app, configured against an emulator, with the emulator delivering to its webhook routes. */
export async function startAppAgainst(emu: FeishuEmulator, env: Record<string, string> = {}): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-gw-'));
  const r = loadConfig(
    {
      FEISHU_APP_ID: emu.app.appId,
      FEISHU_APP_SECRET: emu.app.appSecret,
      ...(emu.app.encryptKey ? { FEISHU_ENCRYPT_KEY: emu.app.encryptKey } : {}),
      ...(emu.app.verificationToken ? { FEISHU_VERIFICATION_TOKEN: emu.app.verificationToken } : {}),
      FEISHU_DOMAIN: emu.url,
      BOT_LOCALE: 'en-US',
      ALERTMANAGER_WEBHOOK_TOKEN: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: join(dir, 'db.sqlite'),
      LOG_LEVEL: 'silent',
      ...env,
    },
    { readFile: () => undefined },
  );
  if (!r.ok) throw new Error(r.problems.join('\n'));
  const app = await startApp(r.config, { log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  const base = `http://127.0.0.1:${app.address.port}`;
  if (r.config.feishu.eventMode === 'websocket') emu.setDelivery({ mode: 'websocket' });
  else emu.setDelivery({ mode: 'webhook', eventsUrl: `${base}/feishu/events`, cardUrl: `${base}/feishu/card` });
  return app;
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
