import { describe, expect, it } from 'vitest';
import { grepLines } from '../../../src/mcp/grep-lines.js';
import { LinearRegex, RegexSyntaxError } from '../../../src/mcp/linear-regex.js';

const PATTERNS = [
  'fatal|error',
  '^INFO',
  '\\bdb\\b',
  '5\\d\\d',
  '[a-f0-9]{6,}',
  'x{2,3}y',
  'colou?r',
  '(?:ab|cd)+e',
  '[^a-z ]+',
  'a.c',
  '\\s+$',
  '^$',
  '[\\d-]+',
  'time(out)?',
  '\\.',
  '(a|b)*c{1,2}$',
  '(?<word>ok)\\W',
  '[A-Z]{3}',
  'é+',
];
const TEXTS = [
  'FATAL cannot reach',
  'INFO ok',
  'connect db now',
  'status 503 ok',
  'hash deadbeef1',
  'xxxy',
  'COLOR',
  'ababcde',
  'abc DEF',
  'trail  ',
  '',
  '12-3',
  'TimeOut',
  'a.b',
  'ababcc',
  'ok!',
  'ÉÉ café',
];

describe('LinearRegex', () => {
  it('agrees with RegExp(…, "i") on the syntax it supports', () => {
    for (const p of PATTERNS) {
      const re = LinearRegex.compile(p);
      for (const t of TEXTS) expect(re.test(t), `/${p}/i on ${JSON.stringify(t)}`).toBe(new RegExp(p, 'i').test(t));
    }
  });

  it('(a+)+$ on a long non-matching line takes milliseconds, not exponential time', () => {
    const re = LinearRegex.compile('(a+)+$');
    const started = performance.now();
    expect(re.test(`${'a'.repeat(20_000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses what needs backtracking or would compile too large, saying why', () => {
    const problems: [string, RegExp][] = [
      ['(a)\\1', /backreferences/],
      ['(?=a)b', /lookahead/],
      ['(?<!a)b', /lookbehind/],
      ['(x{1000}){1000}', /too large/],
      ['a{3,1}', /out of order/],
      ['(ab', /missing \)/],
      ['ab)', /unmatched \)/],
      ['[ab', /missing \]/],
      ['*a', /nothing to repeat/],
    ];
    for (const [p] of problems) expect(() => LinearRegex.compile(p), p).toThrow(RegexSyntaxError);
    for (const [p, why] of problems) expect(() => LinearRegex.compile(p), p).toThrow(why);
  });
});

describe('grepLines', () => {
  it('keeps the event loop turning while it works, and stops when the call is aborted', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `${'a'.repeat(200)}${i % 1000 === 0 ? '' : '!'}`);
    const re = LinearRegex.compile('(a+)+$');
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      maxGap = Math.max(maxGap, t - last);
      last = t;
      ticks++;
    }, 1);
    try {
      const matched = await grepLines(lines, re, { budgetMs: 60_000 });
      expect(matched).toHaveLength(40);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(1);
    expect(maxGap).toBeLessThan(200);

    const controller = new AbortController();
    const pending = grepLines(lines, re, { signal: controller.signal, budgetMs: 60_000 });
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
  });

  it('gives up past its budget and says how far it got', async () => {
    let t = 0;
    const lines = Array.from({ length: 1000 }, () => 'x');
    await expect(grepLines(lines, LinearRegex.compile('y'), { budgetMs: 100, now: () => (t += 10) })).rejects.toThrow(
      /grep stopped after \d+ of 1000 lines: matching took longer than 100 ms/,
    );
  });
});
