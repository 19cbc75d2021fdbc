/**
 * Runs every benchmark in scripts/bench/ (each prints its figures with a baseline measured in the same run and
 * the ratio) one after the other, and writes bench/RESULTS.md: the machine (cores, memory, Node, OS), the date,
 * one table row per printed figure that carries a ratio, and each script's full output.
 *
 * Run: npm run bench   (BENCH_ONLY=alert-ingest,diagnosis to run some; BENCH_TIMEOUT_S per script, default 600;
 * the scripts' own settings such as BENCH_SECONDS pass through; `-- --from bench/RESULTS.md` re-tabulates a saved run)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem, type } from 'node:os';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'scripts/bench');
/** Helpers the benchmarks fork, not benchmarks themselves. */
const NOT_BENCHMARKS = new Set(['run-all.ts', 'load-worker.mjs', 'storm-drain.ts']);
const only = process.env.BENCH_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const timeoutS = Number(process.env.BENCH_TIMEOUT_S ?? 600);

const scripts = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !NOT_BENCHMARKS.has(f))
  .filter((f) => !only || only.includes(basename(f, '.ts')))
  .sort();

interface Result {
  name: string;
  seconds: number;
  status: number | null;
  output: string;
}

const results: Result[] = [];
// `--from <RESULTS.md>`: tabulate the outputs an earlier run saved, without running anything again.
const fromIdx = process.argv.indexOf('--from');
if (fromIdx > 0) {
  const saved = readFileSync(resolve(process.argv[fromIdx + 1] ?? 'bench/RESULTS.md'), 'utf8');
  for (const m of saved.matchAll(/^### (\S+) \((\d+) s(?:, exit (\d+))?\)\n\n```\n([\s\S]*?)\n```/gm))
    results.push({ name: m[1] ?? '', seconds: Number(m[2]), status: m[3] ? Number(m[3]) : 0, output: m[4] ?? '' });
  scripts.length = 0;
}
for (const file of scripts) {
  const name = basename(file, '.ts');
  process.stderr.write(`bench: ${name} … `);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(DIR, file)], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const output =
    `${r.stdout ?? ''}${r.status === 0 ? '' : `\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`}`.trim();
  results.push({ name, seconds, status: r.status, output });
  process.stderr.write(`${r.status === 0 ? 'ok' : `failed (${r.status ?? r.signal})`} in ${seconds.toFixed(0)} s\n`);
}

/** A printed line that states a ratio against its baseline: one row of the table. */
function figures(output: string): { figure: string; ratio: string }[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /ratio|×|baseline/i.test(l) && /\d/.test(l) && !/^goals?:/i.test(l))
    .map((figure) => {
      const m =
        /ratio\s+(-?\d+(?:\.\d+)?)/i.exec(figure) ??
        /(\d+(?:\.\d+)?)\s*[x×](?![a-z])/i.exec(figure) ??
        /\/baseline\s+(\d+(?:\.\d+)?)/i.exec(figure);
      return { figure, ratio: m?.[1] ?? '' };
    });
}

const savedText = fromIdx > 0 ? readFileSync(resolve(process.argv[fromIdx + 1] ?? 'bench/RESULTS.md'), 'utf8') : '';
const measuredAt = /Measured (\S+) by/.exec(savedText)?.[1] ?? new Date().toISOString();
const cell = (s: string) => s.replace(/\|/g, '\\|');
const mem = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
const lines = [
  '# Benchmark results',
  '',
  `Measured ${measuredAt} by \`npm run bench\` (scripts/bench/run-all.ts).`,
  '',
  /^Machine: .*$/m.exec(savedText)?.[0] ??
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${mem(totalmem())} memory ` +
      `(${mem(freemem())} free at the start), Node ${process.version}, ${type()} ${release()}.`,
  '',
  'Every figure is printed by its script beside a baseline measured in the same run; the ratio column repeats',
  'the ratio the line states. Full outputs below.',
  '',
  '| benchmark | figure (with its baseline) | ratio |',
  '|---|---|---|',
  ...results.flatMap((r) => {
    if (r.status !== 0) return [`| ${r.name} | **failed** (exit ${r.status}), see its output below | |`];
    const rows = figures(r.output);
    return rows.length > 0
      ? rows.map((f) => `| ${r.name} | ${cell(f.figure)} | ${f.ratio} |`)
      : [`| ${r.name} | (no ratio printed; see its output) | |`];
  }),
  '',
  '## Outputs',
  '',
  ...results.flatMap((r) => [
    `### ${r.name} (${r.seconds.toFixed(0)} s${r.status === 0 ? '' : `, exit ${r.status}`})`,
    '',
    '```',
    r.output,
    '```',
    '',
  ]),
];
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'bench/RESULTS.md'), lines.join('\n'));
process.stderr.write(`wrote bench/RESULTS.md (${results.length} benchmarks)\n`);
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
