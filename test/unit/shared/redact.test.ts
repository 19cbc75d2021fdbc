import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/shared/duration.js';
import { REDACTED, redactText, redactValue } from '../../../src/shared/redact.js';

describe('redactValue on ConfigMaps', () => {
  it('masks entries whose key names a credential, whole, and keeps the rest', () => {
    const cm = redactValue({ kind: 'ConfigMap', data: { DB_PASS: 'plain1', 'tls.key': 'plain2', MODE: 'fast' } });
    expect(cm.data).toEqual({ DB_PASS: REDACTED, 'tls.key': REDACTED, MODE: 'fast' });
  });
});

describe('redactText', () => {
  it.each([
    ['Authorization: Bearer abcdefghijklmnop1234', 'abcdefghijklmnop1234'],
    ['DATABASE_URL=postgres://app:S3cr3tPass@db:5432/app', 'S3cr3tPass'],
    ['password=hunter22 user=bob', 'hunter22'],
    ['{"api_key": "sk-live-1234567890abcdef"}', 'sk-live-1234567890abcdef'],
    ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    [
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOiJIUzI1NiJ9',
    ],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'MIIEow'],
    ['git clone https://x:github_pat_11ABCDEFG0123456789_abcdefghijklmnop@github.com/o/r', 'github_pat_11ABCDEFG'],
    ['exec app --password hunter22 --verbose', 'hunter22'],
    ['exec app --token=abcdef123456', 'abcdef123456'],
    ['curl -u admin:S3cr3tPass http://db', 'S3cr3tPass'],
    ['> Cookie: session=abcdef0123456789; theme=dark', 'abcdef0123456789'],
  ])('masks %s', (input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('stays linear on long runs without separators (no catastrophic backtracking)', () => {
    const inputs = [
      'x'.repeat(200_000),
      'ab.'.repeat(70_000),
      `password=hunter22 ${'y'.repeat(200_000)}`,
      ` -u ${'a'.repeat(200_000)}`,
      `--password${' '.repeat(200_000)}`,
    ];
    const started = performance.now();
    const outputs = inputs.map(redactText);
    // Quadratic rules took many seconds here; a generous bound keeps the test immune to machine load.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(outputs[2]).not.toContain('hunter22');
  });

  it('leaves ordinary text alone', () => {
    const line = 'pod checkout-7d9f8b6c5-x2x9q restarted 5 times, exit code 137 (OOMKilled)';
    expect(redactText(line)).toBe(line);
  });

  it('masks secret-named keys and strings deep inside values', () => {
    expect(
      redactValue({ env: [{ name: 'X', value: 'ok' }], clientSecret: 'abc', nested: { url: 'redis://u:p4ss@r:6379' } }),
    ).toEqual({
      env: [{ name: 'X', value: 'ok' }],
      clientSecret: REDACTED,
      nested: { url: `redis://u:${REDACTED}@r:6379` },
    });
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('0s')).toBeUndefined();
    expect(formatDuration(3_723_000)).toBe('1h2m3s');
  });
});
