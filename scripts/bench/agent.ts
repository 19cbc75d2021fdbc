/**
 * The agent loop's own cost.
 *
 * 1. Loop overhead per step, model and tool time excluded: an in-process model (answers at once: one tool call
 *    per step, then the answer) and an in-process ToolHost, through `runAgent` with a real prompt set, budgets,
 *    loop detection, data framing and redaction. The baseline, measured in the same run, is the same number of
 *    bare `llm.chat` + `tools.call` invocations without the loop; overhead = (loop − baseline) / steps.
 * 2. Investigate click → first progress update, and → the first model-driven update, with the scripted LLM
 *    answering in 50 ms over loopback HTTP. Baseline: one bare chat round trip to the same endpoint.
 *
 *   npx tsx scripts/bench/agent.ts [runs=200] [steps=10]
 *
 * Goals: overhead < 5 ms per step; click → first progress update < 1 s.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_BUDGETS } from '../../src/agent/budgets.js';
import { runAgent } from '../../src/agent/loop.js';
import { PromptSet } from '../../src/agent/prompts.js';
import { createAgent } from '../../src/agent/register.js';
import { newRunState } from '../../src/agent/run-state.js';
import { Team } from '../../src/agent/team.js';
import type { AppContext } from '../../src/app/context.js';
import { ingestWebhook } from '../../src/incidents/apply-webhook.js';
import { OpenAiLlm } from '../../src/llm/openai.js';
import type { ChatRequest, ChatResult, LlmPort } from '../../src/ports/llm.js';
import { answer, callTools, SCRIPTED_MODEL, startScriptedLlm } from '../../src/sandbox/llm/index.js';
import { translator } from '../../src/shared/i18n.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { RecordedTools } from '../../test/evals/harness.js';
import { DEFAULT_YAML, fixture, harness } from '../../test/helpers/alerts.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';

const RUNS = Number(process.argv[2] ?? 200);
const STEPS = Number(process.argv[3] ?? 10);
const LOG_TEXT = Array.from(
  { length: 200 },
  (_, i) => `2026-11-25T08:00:${String(i % 60).padStart(2, '0')}Z INFO request ${i} ok token=abc${i}`,
).join('\n');

/** A model that answers at once: a tool call with fresh arguments for `steps - 1` turns, then the answer. */
class InstantModel implements LlmPort {
  private n = 0;
  constructor(private readonly steps: number) {}
  reset() {
    this.n = 0;
  }
  async chat(_r: ChatRequest): Promise<ChatResult> {
    this.n++;
    const usage = { promptTokens: 1000, completionTokens: 50, totalTokens: 1050 };
    if (this.n >= this.steps)
      return { message: { content: '## Root cause\nDone.' }, finishReason: 'stop', usage, model: 'instant' };
    return {
      message: {
        content: null,
        toolCalls: [
          { id: `c${this.n}`, name: 'k8s__pod_logs', arguments: { name: `checkout-${this.n}`, namespace: 'shop' } },
        ],
      },
      finishReason: 'tool_calls',
      usage,
      model: 'instant',
    };
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

// 1. Loop overhead.
const tools = new RecordedTools([{ tool: 'k8s.pod_logs', args: {}, result: { kind: 'ok', text: LOG_TEXT } }]);
const model = new InstantModel(STEPS);
const clock = new FakeClock();
const team = new Team({
  llm: model,
  tools,
  prompts: new PromptSet(),
  clock,
  log: silentLogger(),
  t: translator('en-US'),
  budgets: { ...DEFAULT_BUDGETS, maxSteps: STEPS + 1, maxTokens: 10_000_000 },
  locale: 'en-US',
  newId: () => 'sub',
});
const deps = team.loopDeps('incident', { requester: { openId: 'ou_bench' } });
const system = team.systemPrompt('incident');
async function loopOnce(): Promise<number> {
  model.reset();
  const state = newRunState({
    runId: 'b',
    kind: 'investigation',
    profile: 'incident',
    chatId: 'c',
    threadKey: '',
    requestedBy: 'ou_bench',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: 'why?' },
    ],
    now: clock.now(),
  });
  const t0 = performance.now();
  const { next } = await runAgent(state, deps);
  if (next.type !== 'final') throw new Error(`unexpected ${next.type}`);
  return performance.now() - t0;
}
async function bareOnce(): Promise<number> {
  model.reset();
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    await model.chat({ messages: [] });
    if (i < STEPS - 1) await tools.call('k8s.pod_logs', { name: `checkout-${i}`, namespace: 'shop' }, { kind: 'llm' });
  }
  return performance.now() - t0;
}
for (let i = 0; i < 20; i++) {
  await loopOnce();
  await bareOnce();
}
const loop: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  loop.push(await loopOnce());
  bare.push(await bareOnce());
}
const med = (xs: number[]) => percentile(xs, 50);
const perStep = (med(loop) - med(bare)) / STEPS;
console.log(`loop overhead (${RUNS} runs × ${STEPS} steps, 200-line tool output each step)`);
console.log(`  baseline (bare model + tool calls)  median ${med(bare).toFixed(3)} ms per run`);
console.log(
  `  runAgent                            median ${med(loop).toFixed(3)} ms per run, p99 ${percentile(loop, 99).toFixed(3)} ms`,
);
console.log(
  `  overhead per step                   ${perStep.toFixed(3)} ms (goal < 5 ms); ratio loop/baseline ${(med(loop) / Math.max(1e-6, med(bare))).toFixed(1)}×`,
);

// 2. Investigate click → first progress update, model answering in 50 ms.
const CLICKS = Math.min(RUNS, 30);
const llmServer = await startScriptedLlm({
  script: [
    callTools([{ name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f8b6c5-x2x9q', namespace: 'shop' } }], {
      match: (r) => r.messages.at(-1)?.role === 'user',
      repeat: true,
      delayMs: 50,
    }),
    answer('## Root cause\nDone.', { match: () => true, repeat: true, delayMs: 50 }),
  ],
});
const llm = new OpenAiLlm({ baseUrl: llmServer.url, model: SCRIPTED_MODEL });
const roundTrip: number[] = [];
for (let i = 0; i < CLICKS; i++) {
  const t0 = performance.now();
  await llm.chat({ messages: [{ role: 'user', content: 'ping' }] });
  roundTrip.push(performance.now() - t0);
}
const firstUpdate: number[] = [];
const firstModelUpdate: number[] = [];
// One app and one agent, as in production; each click starts after the previous investigation finished.
const h = harness({ yaml: DEFAULT_YAML });
const app: AppContext = {
  config: h.config,
  log: h.log,
  store: h.store,
  clock: h.clock,
  metrics: new Metrics({ defaultMetrics: false }),
  llm,
  tools,
};
const incidentId = ingestWebhook(h, fixture('firing-grouped-by-namespace-3-alerts'), '{}').incidents[0] as number;
const agent = createAgent({ ctx: app, budgets: DEFAULT_BUDGETS });
const count = (kind: string) =>
  (h.store.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE kind = ?').get(kind) as { n: number }).n;
const modelUpdates = () =>
  (
    h.store.db
      .prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'patch_card' AND payload LIKE '%reading logs%'")
      .get() as { n: number }
  ).n;
for (let i = 0; i <= CLICKS; i++) {
  const replies = count('reply');
  const updates = modelUpdates();
  const t0 = performance.now();
  await agent.investigator.investigate({
    incidentId,
    chatId: 'oc_shop',
    replyTo: `om_card_${i}`,
    findings: [],
    actor: { openId: 'ou_bench' },
  });
  while (count('reply') === replies) await new Promise((r) => setImmediate(r));
  const first = performance.now() - t0;
  // The first update the model's work produced ("reading logs of …"), after its first 50 ms answer.
  while (modelUpdates() === updates) await new Promise((r) => setTimeout(r, 1));
  const firstModel = performance.now() - t0;
  await agent.idle();
  if (i === 0) continue; // the first click warms the caches (prompts, runbooks, tool schemas)
  firstUpdate.push(first);
  firstModelUpdate.push(firstModel);
}
await agent.stop();
console.log(`\nInvestigate → progress (${CLICKS} clicks, scripted model answering in 50 ms)`);
console.log(`  baseline: one bare chat round trip        median ${med(roundTrip).toFixed(1)} ms`);
console.log(
  `  click → first progress update (card)     median ${med(firstUpdate).toFixed(2)} ms, p99 ${percentile(firstUpdate, 99).toFixed(2)} ms (goal < 1000 ms)`,
);
console.log(
  `  click → first model-driven update        median ${med(firstModelUpdate).toFixed(1)} ms, p99 ${percentile(firstModelUpdate, 99).toFixed(1)} ms; ratio to the round trip ${(med(firstModelUpdate) / med(roundTrip)).toFixed(2)}×`,
);
await llmServer.close();
