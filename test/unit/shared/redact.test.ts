import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/shared/duration.js';
import { REDACTED, redactText, redactValue } from '../../../src/shared/redact.js';

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
  ])('masks %s', (input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('stays linear on long runs without separators (no catastrophic backtracking)', () => {
    const inputs = ['x'.repeat(200_000), 'ab.'.repeat(70_000), `password=hunter22 ${'y'.repeat(200_000)}`];
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
