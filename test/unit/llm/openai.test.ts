import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiLlm, parseToolCall } from '../../../src/llm/openai.js';
import type { ChatMessage } from '../../../src/ports/llm.js';
import { answer, callTools, fail, type ScriptedLlm, slow, startScriptedLlm } from '../../../src/sandbox/llm/index.js';
import { CodedError } from '../../../src/shared/errors.js';

let llm: ScriptedLlm | undefined;
afterEach(async () => {
  await llm?.close();
  llm = undefined;
});

function adapter(url: string, extra: Partial<ConstructorParameters<typeof OpenAiLlm>[0]> = {}) {
  return new OpenAiLlm({ baseUrl: url, apiKey: 'sk-sandbox', model: 'gpt-test', retryDelayMs: 10, ...extra });
}

const question: ChatMessage[] = [
  { role: 'system', content: 'You are an SRE.' },
  { role: 'user', content: 'why is checkout down?' },
];

async function failure(p: Promise<unknown>): Promise<CodedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CodedError);
  return err as CodedError;
}

describe('OpenAiLlm', () => {
  it('sends tools and messages in OpenAI terms and parses tool calls', async () => {
    llm = await startScriptedLlm({
      script: [
        callTools([{ name: 'k8s_get_pods', arguments: { namespace: 'shop', selector: { app: 'checkout' } } }]),
        answer('checkout crash-loops: missing DATABASE_URL'),
      ],
    });
    const port = adapter(llm.url);
    const tools = [
      {
        name: 'k8s_get_pods',
        description: 'List pods in a namespace',
        parameters: { type: 'object', properties: { namespace: { type: 'string' } }, required: ['namespace'] },
      },
    ];
    const first = await port.chat({ messages: question, tools, toolChoice: 'auto' });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.message.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'k8s_get_pods',
        arguments: { namespace: 'shop', selector: { app: 'checkout' } },
      },
    ]);
    expect(first.usage.totalTokens).toBeGreaterThan(0);
    const call = first.message.toolCalls?.[0];
    const second = await port.chat({
      messages: [
        ...question,
        { role: 'assistant', ...first.message },
        {
          role: 'tool',
          tool_call_id: call?.id ?? '',
          content: '{"pods":[{"name":"checkout-1","reason":"CrashLoopBackOff"}]}',
        },
      ],
      tools,
      toolChoice: { name: 'k8s_get_pods' },
    });
    expect(second).toMatchObject({
      message: { content: 'checkout crash-loops: missing DATABASE_URL' },
      finishReason: 'stop',
      model: 'gpt-test',
    });
    expect(second.message.toolCalls).toBeUndefined();

    const [r1, r2] = llm.requests;
    expect(r1).toMatchObject({ model: 'gpt-test', authorization: 'Bearer sk-sandbox', toolChoice: 'auto' });
    expect(r1?.tools).toEqual([tools[0]]);
    expect(r2?.toolChoice).toEqual({ type: 'function', function: { name: 'k8s_get_pods' } });
    expect(r2?.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call?.id,
            type: 'function',
            function: { name: 'k8s_get_pods', arguments: '{"namespace":"shop","selector":{"app":"checkout"}}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: call?.id, content: '{"pods":[{"name":"checkout-1","reason":"CrashLoopBackOff"}]}' },
    ]);
  });

  it('reports malformed tool arguments on the call instead of throwing', () => {
    expect(parseToolCall('c1', 't', '{"a":')).toMatchObject({
      arguments: {},
      invalidArguments: expect.stringContaining('not valid JSON'),
    });
    expect(parseToolCall('c1', 't', '[1]')).toMatchObject({
      arguments: {},
      invalidArguments: expect.stringContaining('JSON object'),
    });
    expect(parseToolCall('c1', 't', '')).toEqual({ id: 'c1', name: 't', arguments: {} });
  });

  it('retries once after a 429 or 5xx, then succeeds', async () => {
    llm = await startScriptedLlm({ script: [fail(429), fail(503), answer('ok'), fail(500), answer('after 500')] });
    const port = adapter(llm.url);
    await expect(failure(port.chat({ messages: question }))).resolves.toMatchObject({
      code: 'upstream_error',
      detail: { status: 503, retried: true },
    });
    expect(llm.requests).toHaveLength(2);
    expect((await port.chat({ messages: question })).message.content).toBe('ok');
    expect((await port.chat({ messages: question })).message.content).toBe('after 500');
    expect(llm.requests).toHaveLength(5);
  });

  it('maps a persistent 429 to rate_limited with the status and body', async () => {
    llm = await startScriptedLlm({ script: [fail(429, { headers: { 'retry-after-ms': '20' } }), fail(429)] });
    const err = await failure(adapter(llm.url).chat({ messages: question }));
    expect(err.code).toBe('rate_limited');
    expect(err.detail).toMatchObject({
      status: 429,
      retried: true,
      body: { message: 'Rate limit reached for requests.', code: 'rate_limit_exceeded' },
    });
  });

  it('does not retry client errors and carries the upstream body', async () => {
    llm = await startScriptedLlm({
      script: [
        fail(400, {
          error: { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' },
        }),
        answer('unused'),
      ],
    });
    const err = await failure(adapter(llm.url).chat({ messages: question }));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('maximum context length');
    expect(err.detail).toMatchObject({ status: 400, retried: false, body: { code: 'context_length_exceeded' } });
    expect(llm.requests).toHaveLength(1);
  });

  it('does not wait for a retry-after longer than its cap', async () => {
    llm = await startScriptedLlm({ script: [fail(429, { headers: { 'retry-after': '3600' } }), answer('unused')] });
    const err = await failure(adapter(llm.url).chat({ messages: question }));
    expect(err).toMatchObject({ code: 'rate_limited', detail: { retried: false } });
  });

  it('times out a slow reply', async () => {
    llm = await startScriptedLlm({ script: [slow(5_000, answer('too late'))] });
    const started = Date.now();
    const err = await failure(adapter(llm.url, { timeoutMs: 200 }).chat({ messages: question }));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('stops when the caller aborts, and maps a wrong key and an unreachable endpoint', async () => {
    llm = await startScriptedLlm({ script: [slow(5_000, answer('too late'))], apiKey: 'sk-right' });
    const controller = new AbortController();
    const pending = adapter(llm.url, { apiKey: 'sk-right' }).chat({ messages: question, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(failure(pending)).resolves.toMatchObject({ code: 'timeout', detail: { cancelled: true } });

    const denied = await failure(adapter(llm.url, { apiKey: 'sk-wrong' }).chat({ messages: question }));
    expect(denied).toMatchObject({
      code: 'upstream_error',
      detail: { status: 401, body: { code: 'invalid_api_key' } },
    });
    const url = llm.url;
    await llm.close();
    llm = undefined;
    const down = await failure(adapter(url).chat({ messages: question }));
    expect(down.code).toBe('upstream_error');
    expect(down.message).toContain('unreachable');
  });
});
