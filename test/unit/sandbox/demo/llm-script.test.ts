import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiLlm } from '../../../../src/llm/openai.js';
import type { ChatMessage } from '../../../../src/ports/llm.js';
import { demoScript } from '../../../../src/sandbox/demo/llm-script.js';
import { type ScriptedLlm, startScriptedLlm } from '../../../../src/sandbox/llm/index.js';

let llm: ScriptedLlm | undefined;
afterEach(async () => {
  await llm?.close();
  llm = undefined;
});

const tools = [
  { name: 'k8s.pods_list', description: 'List pods', parameters: { type: 'object' } },
  { name: 'k8s.pod_logs', description: 'Pod logs', parameters: { type: 'object' } },
];

describe('the demo model', () => {
  it('looks at the pods when asked what is wrong, then explains what the tool showed, every time', async () => {
    llm = await startScriptedLlm({ script: demoScript() });
    const port = new OpenAiLlm({ baseUrl: llm.url, model: 'sandbox-scripted' });
    for (let round = 0; round < 2; round++) {
      const question: ChatMessage[] = [{ role: 'user', content: "@sre-nanobot what's wrong with checkout -n shop?" }];
      const first = await port.chat({ messages: question, tools });
      expect(first.message.toolCalls).toEqual([
        { id: expect.any(String), name: 'k8s.pods_list', arguments: { namespace: 'shop' } },
      ]);
      const second = await port.chat({
        messages: [
          ...question,
          { role: 'assistant', ...first.message },
          {
            role: 'tool',
            tool_call_id: first.message.toolCalls?.[0]?.id ?? '',
            content: 'NAME READY STATUS RESTARTS\ncheckout-7d9f8b6c5-x2x9q 0/1 CrashLoopBackOff 7',
          },
        ],
        tools,
      });
      expect(second.finishReason).toBe('stop');
      expect(second.message.content).toContain('CrashLoopBackOff');
      expect(second.message.content).toContain('roll back');
    }
  });

  it("uses the tool host's generic listing tool with the pod kind", async () => {
    llm = await startScriptedLlm({ script: demoScript() });
    const port = new OpenAiLlm({ baseUrl: llm.url, model: 'sandbox-scripted' });
    const r = await port.chat({
      messages: [{ role: 'user', content: 'why is shop/checkout down?' }],
      tools: [{ name: 'k8s__resources_list', description: 'List resources', parameters: { type: 'object' } }],
    });
    expect(r.message.toolCalls?.[0]).toMatchObject({
      name: 'k8s__resources_list',
      arguments: { kind: 'pods', namespace: 'shop' },
    });
  });

  it('answers without tools, and small talk, with a pointer to the demo', async () => {
    llm = await startScriptedLlm({ script: demoScript() });
    const port = new OpenAiLlm({ baseUrl: llm.url, model: 'sandbox-scripted' });
    const r = await port.chat({ messages: [{ role: 'user', content: "what's wrong with checkout?" }] });
    expect(r.message.toolCalls).toBeUndefined();
    expect(r.message.content).toContain("what's wrong with checkout?");
    const hello = await port.chat({ messages: [{ role: 'user', content: 'hello' }], tools });
    expect(hello.message.toolCalls).toBeUndefined();
  });
});
