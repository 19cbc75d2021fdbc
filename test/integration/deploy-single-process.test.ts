/**
 * Two processes, one database: a second bot started on the same SQLite file refuses to start with a message
 * that says who holds it and what to do, exits 1, and leaves the first one serving. Once the first stops (or
 * is killed outright), the next one starts. Real child processes, as two replicas on one volume would be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBot, tenantEnv } from '../helpers/bot-process.js';

describe('one bot per database', () => {
  let dir: string;
  let env: Record<string, string>;
  const running: BotProcess[] = [];
  const start = () => {
    const bot = startBot(env);
    running.push(bot);
    return bot;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-lock-'));
    env = tenantEnv({ DATABASE_PATH: join(dir, 'data', 'bot.db') });
  });
  afterAll(async () => {
    await Promise.all(running.map((b) => b.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second bot on the same file, naming the first one, and keeps the first serving', async () => {
    const first = start();
    const port = await first.listening;

    const second = start();
    expect(await second.exited).toBe(1);
    const refused = second.output();
    expect(refused).toContain(`database ${join(dir, 'data', 'bot.db')} is already in use by another sre-nanobot`);
    expect(refused).toContain(`pid ${first.child.pid} on host`);
    expect(refused).toMatch(/stop the other one first|its own DATABASE_PATH/);
    expect(refused).not.toMatch(/\n\s+at /); // no stack trace

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await first.stop()).toBe(0);
  }, 60_000);

  it('starts again once the holder is gone, even when it was killed without a chance to clean up', async () => {
    const first = start();
    await first.listening;
    first.child.kill('SIGKILL');
    await first.exited;

    const next = start();
    await next.listening;
    expect(await next.stop()).toBe(0);
  }, 60_000);
});
