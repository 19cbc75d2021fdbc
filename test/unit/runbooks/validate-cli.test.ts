/** `sre-nanobot validate` checks the shipped runbooks; `validate --schema` prints their format as JSON Schema. */
import { describe, expect, it } from 'vitest';
import { type CliIo, main } from '../../../src/main.js';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l), onSignal: () => () => {} };
  return { cli, out, err };
}

describe('sre-nanobot validate and runbooks', () => {
  it('counts the runbooks it checked', async () => {
    const { cli, out, err } = io({ SRE_NANOBOT_CONFIG: '', LOG_LEVEL: 'silent' });
    expect(await main(['validate'], cli)).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('\n')).toMatch(/\nrunbooks OK \(15 runbooks\)\ncards OK/);
  });

  it('--schema prints the runbook JSON Schema and nothing else', async () => {
    const { cli, out, err } = io();
    expect(await main(['validate', '--schema'], cli)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const schema = JSON.parse(out[0] as string) as {
      $schema: string;
      title: string;
      properties: Record<string, unknown>;
    };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.title).toBe('sre-nanobot runbook');
    expect(Object.keys(schema.properties)).toContain('verification');
  });

  it('any other argument gets the usage', async () => {
    const { cli, err } = io();
    expect(await main(['validate', '--strict'], cli)).toBe(2);
    expect(err[0]).toMatch(/^validate takes no arguments but --schema \(got: --strict\)\n\nUsage: sre-nanobot/);
  });
});
