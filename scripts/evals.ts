/**
 * `EVALS=1 npm run evals`: every case in test/evals/ against the configured real model (OPENAI_BASE_URL,
 * OPENAI_API_KEY, OPENAI_MODEL), with the recorded tools, judged on the case's expectations. Prints one row per
 * case — pass/fail, steps, tool calls, tokens, cost estimate, wall time — then the pass rate.
 *   EVALS_FILTER=oom    only cases whose name contains "oom"
 *   EVALS_PRICE=0.6     USD per million tokens for the cost estimate (blended input/output)
 */
import { OpenAiLlm } from '../src/llm/openai.js';
import { judge, loadCases, runCase } from '../test/evals/harness.js';

async function main(): Promise<number> {
  const env = process.env;
  if (env.EVALS !== '1') {
    console.error('set EVALS=1 to run the evals against a real model (they cost tokens)');
    return 2;
  }
  if (!env.OPENAI_MODEL) {
    console.error('set OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL');
    return 2;
  }
  const llm = new OpenAiLlm({
    baseUrl: env.OPENAI_BASE_URL,
    apiKey: env.OPENAI_API_KEY,
    model: env.OPENAI_MODEL,
    timeoutMs: 120_000,
    ...(env.OPENAI_TOOL_CHOICE === 'omit' ? { toolChoice: 'omit' as const } : {}),
  });
  const price = Number(env.EVALS_PRICE ?? '1');
  const cases = loadCases().filter((x) => !env.EVALS_FILTER || x.name.includes(env.EVALS_FILTER));
  const rows: string[][] = [['case', 'result', 'steps', 'tools', 'tokens', 'cost $', 'seconds', 'problems']];
  let passed = 0;
  let tokens = 0;
  let ms = 0;
  for (const { name, c } of cases) {
    try {
      const run = await runCase(c, llm, { budgets: { deadlineMs: 300_000 } });
      const problems = judge(c, run);
      if (problems.length === 0) passed++;
      tokens += run.state.counters.tokens;
      ms += run.ms;
      rows.push([
        name,
        problems.length === 0 ? 'pass' : 'FAIL',
        String(run.state.counters.steps),
        String(run.state.counters.toolCalls),
        String(run.state.counters.tokens),
        ((run.state.counters.tokens / 1e6) * price).toFixed(4),
        (run.ms / 1000).toFixed(1),
        problems.join('; ').slice(0, 120),
      ]);
    } catch (err) {
      rows.push([name, 'ERROR', '-', '-', '-', '-', '-', (err as Error).message.slice(0, 120)]);
    }
    console.error(`${rows.at(-1)?.[0]}: ${rows.at(-1)?.[1]}`);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
  console.log(
    `\n${env.OPENAI_MODEL}: ${passed}/${cases.length} passed (${((passed / Math.max(1, cases.length)) * 100).toFixed(0)} %), ` +
      `${tokens} tokens (~$${((tokens / 1e6) * price).toFixed(3)}), ${(ms / 1000).toFixed(1)} s in total, ` +
      `median ${median(rows.slice(1).map((r) => Number(r[6]))).toFixed(1)} s per case`,
  );
  return passed === cases.length ? 0 : 1;
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] as number);
}

main().then((code) => process.exit(code));
