import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/http/body.js';
import { jsonDepthExceeded } from '../../../src/http/json-depth.js';
import { isCodedError } from '../../../src/shared/errors.js';

describe('JSON nesting limit', () => {
  it('lets ordinary nesting through and ignores brackets inside strings', () => {
    expect(jsonDepthExceeded(`${'['.repeat(64)}${']'.repeat(64)}`)).toBe(-1);
    expect(jsonDepthExceeded(JSON.stringify({ s: '[[[[[[[[[[[[[[[[[[[[[[[[["\\' }), 3)).toBe(-1);
    expect(jsonDepthExceeded(`${'['.repeat(65)}${']'.repeat(65)}`)).toBe(64);
  });

  it('refuses a body nested 20,000 deep as malformed JSON (400), not a crash', () => {
    const raw = Buffer.from(`{"v":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    let code = '';
    try {
      parseJson(raw);
    } catch (err) {
      if (isCodedError(err)) code = `${err.code}: ${err.message}`;
    }
    expect(code).toMatch(/^malformed_json: request body nests deeper than 64 levels/);
  });
});
