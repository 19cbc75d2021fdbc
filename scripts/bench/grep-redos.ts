/**
 * How long a catastrophic grep pattern takes: the pod_logs matcher (linear-regex.ts) against the built-in
 * backtracking RegExp, on lines of a's ending in '!', which `(a+)+$` never matches.
 *
 *   npx tsx scripts/bench/grep-redos.ts
 */
import { grepLines } from '../../src/mcp/grep-lines.js';
import { LinearRegex } from '../../src/mcp/linear-regex.js';

const PATTERN = '(a+)+$';
const ms = (t0: number) => (performance.now() - t0).toFixed(1);

const re = LinearRegex.compile(PATTERN);
for (const n of [25, 1000, 100_000]) {
  const line = `${'a'.repeat(n)}!`;
  const t0 = performance.now();
  re.test(line);
  console.log(`linear   /${PATTERN}/ on one line of ${n} a's + '!': ${ms(t0)} ms`);
}

const lines = Array.from({ length: 5000 }, () => `${'a'.repeat(200)}!`);
let t0 = performance.now();
const kept = await grepLines(lines, re, { budgetMs: 60_000 });
const linearMs = performance.now() - t0;
console.log(`linear   pod_logs grep over tail 5000 lines of 201 chars (1 MB): ${ms(t0)} ms, ${kept.length} matched`);

const other = LinearRegex.compile('error|timeout|5\\d\\d');
t0 = performance.now();
await grepLines(lines, other, { budgetMs: 60_000 });
console.log(`linear   /error|timeout|5\\d\\d/ over the same 5000 lines: ${ms(t0)} ms`);

let nativeMs = 0;
for (const n of [20, 22, 24, 26]) {
  const line = `${'a'.repeat(n)}!`;
  t0 = performance.now();
  new RegExp(PATTERN, 'i').test(line);
  nativeMs = performance.now() - t0;
  console.log(`RegExp   /${PATTERN}/ on one line of ${n} a's + '!': ${ms(t0)} ms (doubles per extra a)`);
}
console.log(
  `ratio    RegExp on one 27-byte line / linear on 5000 lines of 201 bytes: ${(nativeMs / linearMs).toFixed(1)}×`,
);
