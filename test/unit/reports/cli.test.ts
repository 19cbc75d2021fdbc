/** `sre-nanobot report daily|weekly [--at <date>] --dry-run` prints the digest's card JSON from the database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, main } from '../../../src/main.js';
import { reportWorld, seedHistory } from './history.js';

const dir = mkdtempSync(join(tmpdir(), 'sre-nanobot-report-'));
const db = join(dir, 'bot.db');
const seeded = seedHistory(reportWorld({}, undefined, db));
seeded.store.close();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { DATABASE_PATH: db, TZ: 'UTC', BOT_LOCALE: 'en-US', ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    onSignal: () => () => {},
  };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('report CLI verb', () => {
  it('prints the daily digest card as of --at (a date in TZ)', async () => {
    const r = await run(['report', 'daily', '--at', '2026-11-26', '--dry-run']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const card = JSON.parse(r.out);
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe('Daily report · 2026-11-25');
    expect(r.out).toContain('**Alerts**: 9');
    expect(r.out).toContain('"tag": "chart"');
  });

  it('takes an ISO time and the weekly digest, in the configured locale', async () => {
    const r = await run(['report', 'weekly', '--at=2026-11-30T10:00:00Z', '--dry-run'], { BOT_LOCALE: 'zh-CN' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).header.title.content).toBe('周报 · 2026-11-23 至 2026-11-29');
  });

  it('refuses bad input with a usage line and a non-zero code', async () => {
    expect((await run(['report', 'monthly', '--dry-run'])).code).toBe(2);
    const noDry = await run(['report', 'daily']);
    expect([noDry.code, noDry.err]).toEqual([2, expect.stringContaining('only --dry-run is supported')]);
    const badAt = await run(['report', 'daily', '--at', 'yesterday', '--dry-run']);
    expect([badAt.code, badAt.err]).toEqual([2, expect.stringContaining('--at must be a date')]);
    const missing = await run(['report', 'daily', '--dry-run'], { DATABASE_PATH: join(dir, 'absent.db') });
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('no database at')]);
  });
});
