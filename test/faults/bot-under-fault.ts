/**
 * The bot as a real child process against the Feishu emulator, on one SQLite file that outlives it, so a test
 * can `kill -9` it at any point and start it again. `killWhen(probe)` is the hook for every fault point: it
 * polls `probe` (e.g. "the outbox has sent some but not all", "a runbook run is between two write steps") and
 * SIGKILLs the process the moment it holds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { type BotProcess, startBot, tenantEnv } from '../helpers/bot-process.js';
import { ONCALL_CHAT } from '../helpers/feishu-emulator.js';

export const TOKEN = 'fault-token';

export interface FaultBot {
  dbPath: string;
  /** Starts (or restarts) the process; resolves with its base URL once it listens. */
  start(): Promise<string>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  killWhen(probe: () => boolean, ms?: number): Promise<void>;
  /** A read-only query on the bot's database (safe while it runs: WAL). */
  query<T>(sql: string, ...params: unknown[]): T[];
  current(): BotProcess | undefined;
}

export function faultBot(emu: FeishuEmulator, extraEnv: Record<string, string> = {}): FaultBot {
  const dir = mkdtempSync(join(tmpdir(), 'nanobot-faults-'));
  const dbPath = join(dir, 'bot.db');
  let bot: BotProcess | undefined;
  const env = tenantEnv({
    FEISHU_APP_ID: emu.app.appId,
    FEISHU_APP_SECRET: emu.app.appSecret,
    FEISHU_VERIFICATION_TOKEN: emu.app.verificationToken ?? '',
    FEISHU_DOMAIN: emu.url,
    FEISHU_DEFAULT_CHAT_ID: ONCALL_CHAT,
    ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  // `listening` is logged at info; keep warn for everything else but let the start line through.
  env.LOG_LEVEL = 'info';
  const self: FaultBot = {
    dbPath,
    async start() {
      bot = startBot(env);
      const port = await bot.listening;
      return `http://127.0.0.1:${port}`;
    },
    async kill9() {
      if (!bot) return;
      bot.child.kill('SIGKILL');
      await bot.exited;
    },
    async stop() {
      await bot?.stop();
    },
    async killWhen(probe, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!probe()) {
        if (Date.now() > deadline) throw new Error('the fault point was never reached');
        await new Promise((r) => setTimeout(r, 5));
      }
      await self.kill9();
    },
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    current: () => bot,
  };
  return self;
}

/** Polls until `probe` holds (deadline `ms`). */
export async function until(what: string, probe: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A small seeded generator, so a failing run can be replayed (the seed is printed). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
