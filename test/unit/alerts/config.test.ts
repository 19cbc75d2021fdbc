import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';

describe('alerting configuration', () => {
  it('has working defaults and accepts the example file', () => {
    const d = loadConfig({}, { readFile: () => undefined });
    expect(d.ok && d.config.file).toMatchObject({
      heartbeats: ['Watchdog', 'InfoInhibitor'],
      watchdog_timeout: 600_000,
      storm: { max_cards: 10, window: 60_000, quiet: 300_000 },
      card_refresh_delay: 1_000,
      correlation_window: 600_000,
    });
    const example = readFileSync(resolve(import.meta.dirname, '../../../sre-nanobot.example.yaml'), 'utf8');
    const r = loadConfig({ SRE_NANOBOT_CONFIG: 'example.yaml' }, { readFile: () => example });
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('names the bad key', () => {
    const r = loadConfig(
      {},
      { readFile: () => 'storm: { max_cards: 0 }\ncard_refresh_delay: soon\nroutes: [{ match: ["x=~\\"(\\""] }]' },
    );
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.join('\n');
    expect(text).toMatch(/storm\.max_cards/);
    expect(text).toMatch(/card_refresh_delay/);
  });
});
