import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../src/agent/answer.js';
import { answer, callTools } from '../../../src/sandbox/llm/index.js';
import { messageText } from '../../../src/sandbox/llm/script.js';
import { type EvalCase, runCase } from '../../evals/harness.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { scripted, toolTexts } from './setup.js';

const FINAL = `## Root cause
checkout crashes on start: DATABASE_URL is missing since revision 7 [F1].

## Evidence
- k8s.pod_logs checkout-7d9f-x2x9q: "FATAL: DATABASE_URL is not set"

## Impact
Checkout is down in shop.

## Next steps
1. Roll back to revision 6.`;

const base = (over: Partial<EvalCase> = {}): EvalCase => ({
  description: 'test',
  tags: [],
  question: 'Why is checkout crashing in shop?',
  findings: ['pod.crash_loop on shop/deployment/checkout: back-off restarting container checkout'],
  tools: [
    {
      tool: 'k8s.resources_list',
      args: { kind: 'pods' },
      result: { kind: 'ok', text: 'checkout-7d9f-x2x9q 0/1 CrashLoopBackOff 7' },
    },
    {
      tool: 'k8s.pod_logs',
      args: { name: 'checkout-7d9f-x2x9q' },
      result: { kind: 'ok', text: 'FATAL: DATABASE_URL is not set' },
    },
    {
      tool: 'k8s.rollout_history',
      args: {},
      result: { kind: 'ok', text: 'revision 6 checkout:1.4.1\nrevision 7 checkout:1.5.0' },
    },
  ],
  script: [{ answer: FINAL }],
  expect: { inconclusive: false, contains: [], not_contains: [], tools_called: [], proposals: [], cites: [] },
  ...over,
});

describe('agent loop', () => {
  it('runs a multi-step investigation: tool results reach the model framed as data, the answer cites and proposes', async () => {
    const { server, llm } = await scripted([
      callTools([{ name: 'k8s__resources_list', arguments: { kind: 'pods', namespace: 'shop' } }]),
      callTools([
        { name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f-x2x9q', namespace: 'shop', previous: true } },
        { name: 'k8s__rollout_history', arguments: { name: 'checkout', namespace: 'shop' } },
      ]),
      callTools([
        {
          name: 'propose_runbook',
          arguments: {
            runbook: 'deployment-rollback',
            params: { namespace: 'shop', deployment: 'checkout', to_revision: '6' },
            reason: 'revision 7 dropped DATABASE_URL',
          },
        },
      ]),
      answer(FINAL),
    ]);
    const run = await runCase(base(), llm);
    expect(run.next.type).toBe('final');
    expect(run.tools.calls.map((c) => c.name)).toEqual(['k8s.resources_list', 'k8s.pod_logs', 'k8s.rollout_history']);
    expect(run.tools.calls.every((c) => c.caller.kind === 'llm')).toBe(true);
    const seen = toolTexts(server.requests);
    expect(seen).toContain('<tool_output tool="k8s.pod_logs" status="ok">\nFATAL: DATABASE_URL is not set');
    expect(seen).toContain('revision 7 checkout:1.5.0');
    expect(run.state.proposals).toEqual([
      {
        runbookId: 'deployment-rollback',
        params: { namespace: 'shop', deployment: 'checkout', to_revision: '6' },
        reason: 'revision 7 dropped DATABASE_URL',
      },
    ]);
    expect(run.state.counters).toMatchObject({ steps: 4, toolCalls: 4 });
    expect(run.state.counters.tokens).toBeGreaterThan(0);
    expect(parseAnswer(run.answer)).toMatchObject({ inconclusive: false, cites: ['F1'] });
    // Offered tools are the read tools plus the agent's own; no write tool is offered.
    const offered = server.requests[0]?.tools.map((t) => t.name) ?? [];
    expect(offered).toContain('k8s__pod_logs');
    expect(offered).toContain('propose_runbook');
    expect(offered).toContain('ask_k8s_agent');
    expect(offered).not.toContain('k8s__pod_delete');
  });

  it('feeds a tool error back in full (arguments, upstream request, status and body) and the corrected call succeeds', async () => {
    const { server, llm } = await scripted([
      callTools([{ name: 'prometheus__query', arguments: { query: 'rate(http_requests_total{job="checkout"[5m])' } }]),
      callTools([{ name: 'prometheus__query', arguments: { query: 'rate(http_requests_total{job="checkout"}[5m])' } }]),
      answer('## Root cause\nInconclusive: traffic is normal (12 req/s); check the database next.'),
    ]);
    const run = await runCase(
      base({
        tools: [
          {
            tool: 'prometheus.query',
            args: { query: 'rate(http_requests_total{job="checkout"[5m])' },
            result: {
              kind: 'error',
              code: 'upstream_error',
              message: 'bad_data: invalid parameter "query"',
              request: 'POST /api/v1/query',
              status: 400,
              body: '{"status":"error","errorType":"bad_data","error":"1:35: parse error: unexpected \\"[\\" in label matching"}',
            },
          },
          {
            tool: 'prometheus.query',
            args: { query: 'rate(http_requests_total{job="checkout"}[5m])' },
            result: { kind: 'ok', text: '{job="checkout"} 12.1' },
          },
        ],
      }),
      llm,
    );
    const second = server.requests[1];
    const fed = messageText(second?.messages.at(-1));
    expect(fed).toContain('Error (upstream_error): bad_data');
    expect(fed).toContain('Upstream request: POST /api/v1/query');
    expect(fed).toContain('Upstream status: 400');
    expect(fed).toContain('parse error: unexpected');
    expect(fed).toContain('rate(http_requests_total{job=\\"checkout\\"[5m])');
    expect(toolTexts(server.requests)).toContain('{job="checkout"} 12.1');
    expect(run.next.type).toBe('final');
    expect(parseAnswer(run.answer).inconclusive).toBe(true);
  });

  it('tells the model what "no data" searched where', async () => {
    const { server, llm } = await scripted([
      callTools([{ name: 'k8s__pod_logs', arguments: { name: 'ghost-1', namespace: 'shop' } }]),
      answer('## Root cause\nInconclusive: no logs.'),
    ]);
    await runCase(
      base({
        tools: [
          {
            tool: 'k8s.pod_logs',
            args: { name: 'ghost-1' },
            result: { kind: 'no_data', searched: 'pod ghost-1 in namespace shop (cluster sim)' },
          },
        ],
      }),
      llm,
    );
    expect(toolTexts(server.requests)).toContain('No data. Searched: pod ghost-1 in namespace shop (cluster sim).');
  });

  it('stops a repeated call: the second is refused with a note, the third ends the run with a partial answer', async () => {
    const same = { name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f-x2x9q', namespace: 'shop' } };
    const { server, llm } = await scripted([
      callTools([same]),
      callTools([same]),
      callTools([same]),
      answer('## Root cause\nInconclusive: the logs say DATABASE_URL is not set, but I could not confirm why.'),
    ]);
    const run = await runCase(base(), llm);
    expect(run.tools.calls).toHaveLength(1);
    expect(messageText(server.requests[2]?.messages.at(-1))).toContain('You already made exactly this call');
    expect(run.next).toMatchObject({ type: 'budget_exhausted', budget: 'loop' });
    // The budget-end request offers no tools and asks for an answer from what was found.
    expect(server.requests.at(-1)?.tools).toEqual([]);
    expect(messageText(server.requests.at(-1)?.messages.at(-1))).toContain('repeated-call budget');
    expect(run.answer).toContain('DATABASE_URL');
  });
});

describe('budgets end with a partial answer', () => {
  const keepCalling = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      callTools([{ name: 'k8s__events_list', arguments: { namespace: 'shop', limit: i + 1 } }]),
    );

  it('steps: the model is asked to answer without tools', async () => {
    const { server, llm } = await scripted([...keepCalling(3), answer('## Root cause\nInconclusive: events only.')]);
    const run = await runCase(base(), llm, { budgets: { maxSteps: 3 } });
    expect(run.next).toMatchObject({ type: 'budget_exhausted', budget: 'steps' });
    expect(run.state.counters.steps).toBe(3);
    expect(server.requests).toHaveLength(4);
    expect(run.answer).toContain('Inconclusive: events only.');
  });

  it('tool calls: a call past the budget is not run and the run ends', async () => {
    const { llm } = await scripted([
      callTools([
        { name: 'k8s__events_list', arguments: { namespace: 'shop' } },
        { name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f-x2x9q' } },
      ]),
      answer('## Root cause\nInconclusive: only events were read.'),
    ]);
    const run = await runCase(base(), llm, { budgets: { maxToolCalls: 1 } });
    expect(run.tools.calls.map((c) => c.name)).toEqual(['k8s.events_list']);
    expect(run.next).toMatchObject({ type: 'budget_exhausted', budget: 'tool_calls' });
    expect(run.answer).toContain('only events were read');
  });

  it('tokens: no further model call; the answer is built from the evidence so far', async () => {
    const { server, llm } = await scripted([
      callTools([{ name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f-x2x9q' } }]),
    ]);
    const run = await runCase(base(), llm, { budgets: { maxTokens: 1000 } });
    expect(run.next).toMatchObject({ type: 'budget_exhausted', budget: 'tokens' });
    expect(server.requests).toHaveLength(1);
    expect(run.answer).toContain('Inconclusive: the investigation stopped at its token budget');
    expect(run.answer).toContain('FATAL: DATABASE_URL is not set');
  });

  it('deadline: time spent in tools counts; the partial answer lists what was read', async () => {
    const clock = new FakeClock();
    const { llm } = await scripted([
      callTools([{ name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f-x2x9q' } }]),
      answer('unused'),
    ]);
    const c = base();
    const run = await runCase(c, llm, {
      clock,
      budgets: { deadlineMs: 30_000 },
      onTool: () => clock.advance(31_000),
    });
    expect(run.next).toMatchObject({ type: 'budget_exhausted', budget: 'deadline' });
    expect(run.answer).toContain('deadline');
    expect(run.answer).toContain('k8s.pod_logs');
  });

  it('a failing model endpoint ends with a partial answer, not an error', async () => {
    const { fail } = await import('../../../src/sandbox/llm/index.js');
    const { llm } = await scripted([
      callTools([{ name: 'k8s__pod_logs', arguments: { name: 'checkout-7d9f-x2x9q' } }]),
      fail(400, { error: { message: 'context length exceeded' } }),
    ]);
    const run = await runCase(base(), llm);
    expect(run.next.type).toBe('failed');
    expect(run.answer).toContain('model endpoint failure');
    expect(run.answer).toContain('context length exceeded');
  });
});
