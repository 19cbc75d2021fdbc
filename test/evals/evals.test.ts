/**
 * Every eval case with the scripted model and the recorded tools: the plumbing (each scripted call reaches a
 * recording through the policy, outputs reach the model, budgets end in partial answers, proposals become
 * runbook ids, citations parse), and that each case is answerable — every identifier the answer must contain is
 * in the data the model was given. `EVALS=1 npm run evals` runs the same cases against a real model.
 */
import { describe, expect, it } from 'vitest';
import { OpenAiLlm } from '../../src/llm/openai.js';
import { SCRIPTED_MODEL, startScriptedLlm } from '../../src/sandbox/llm/index.js';
import { messageText } from '../../src/sandbox/llm/script.js';
import { judge, loadCases, runCase, scriptOf } from './harness.js';

const cases = loadCases();

describe('evals (scripted model, recorded tools)', () => {
  it('has at least 25 cases, at least 5 of them inconclusive', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((x) => x.c.expect.inconclusive).length).toBeGreaterThanOrEqual(5);
  });

  for (const { name, c } of cases) {
    it(name, async () => {
      const server = await startScriptedLlm({ script: scriptOf(c) });
      try {
        const llm = new OpenAiLlm({ baseUrl: server.url, model: SCRIPTED_MODEL, timeoutMs: 5000 });
        const run = await runCase(c, llm);
        expect(judge(c, run)).toEqual([]);
        // Every call the script makes is answered by a recording (or a policy decision), never by "nothing recorded".
        const unrecorded = run.tools.calls.filter(
          (x) => x.result === 'no_data' && !c.tools.some((r) => r.tool === x.name && r.result.kind === 'no_data'),
        );
        expect(unrecorded.map((x) => `${x.name} ${JSON.stringify(x.args)}`)).toEqual([]);
        // What the answer must name is in what the model was given.
        const given = server.requests
          .flatMap((r) => r.messages.map((m) => messageText(m)))
          .join('\n')
          .toLowerCase();
        for (const id of c.expect.contains)
          expect(given, `"${id}" is not in the data given to the model`).toContain(id.toLowerCase());
        expect(['final', 'budget_exhausted']).toContain(run.next.type);
      } finally {
        await server.close();
      }
    });
  }
});
