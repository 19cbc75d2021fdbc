import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answer,
  callTools,
  fail,
  type ScriptedLlm,
  slow,
  startScriptedLlm,
} from '../../../../src/sandbox/llm/index.js';

let llm: ScriptedLlm | undefined;
afterEach(async () => {
  await llm?.close();
  llm = undefined;
});

function client(url: string, apiKey = 'sk-test') {
  return new OpenAI({ baseURL: url, apiKey, maxRetries: 0, timeout: 10_000 });
}

const podsTool = {
  type: 'function' as const,
  function: {
    name: 'k8s_list_pods',
    description: 'List pods',
    parameters: { type: 'object', properties: { namespace: { type: 'string' } } },
  },
};

describe('scripted LLM', () => {
  it('plays tool calls then a final answer to the real openai client, and records what it was sent', async () => {
    llm = await startScriptedLlm({
      script: [
        callTools([
          { name: 'k8s_list_pods', arguments: { namespace: 'shop' } },
          {
            id: 'call_logs',
            name: 'k8s_pod_logs',
            arguments: { namespace: 'shop', pod: 'checkout-1', previous: true },
          },
        ]),
        answer((req) => `saw: ${String(req.messages.at(-1)?.content)}`),
      ],
    });
    const openai = client(llm.url);
    const first = await openai.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'why is checkout down?' }],
      tools: [podsTool],
      tool_choice: 'auto',
    });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    const [c0, c1] = calls;
    expect(c0?.type === 'function' && JSON.parse(c0.function.arguments)).toEqual({ namespace: 'shop' });
    expect(c1?.id).toBe('call_logs');
    expect(c0?.id).toMatch(/^call_/);

    const second = await openai.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'user', content: 'why is checkout down?' },
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: c0?.id ?? '', content: 'checkout-1 CrashLoopBackOff' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('saw: checkout-1 CrashLoopBackOff');
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.usage?.total_tokens).toBeGreaterThan(0);

    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[0]).toMatchObject({
      model: 'gpt-test',
      tools: [{ name: 'k8s_list_pods', description: 'List pods' }],
      toolChoice: 'auto',
      authorization: 'Bearer sk-test',
      stream: false,
    });
    expect(llm.requests[1]?.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: c0?.id });
    expect(llm.remaining()).toBe(0);
  });

  it('answers a matched question whatever its position, leaving ordered turns for the rest', async () => {
    llm = await startScriptedLlm({
      script: [
        answer('first in order'),
        answer('checkout is crash-looping', { match: { user: /what's wrong with checkout/i }, repeat: true }),
        answer('second in order'),
      ],
    });
    const openai = client(llm.url);
    const ask = async (content: string, role: 'user' | 'system' = 'user') =>
      (await openai.chat.completions.create({ model: 'm', messages: [{ role, content }] })).choices[0]?.message.content;
    expect(await ask("What's wrong with checkout?")).toBe('checkout is crash-looping');
    expect(await ask('hello')).toBe('first in order');
    expect(await ask("what's wrong with checkout? again")).toBe('checkout is crash-looping');
    // `{ user }` only matches when the last message is the user's.
    expect(await ask("what's wrong with checkout?", 'system')).toBe('second in order');
    const exhausted = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(exhausted).toBeInstanceOf(OpenAI.InternalServerError);
    expect(String(exhausted.message)).toContain('no turn left');
  });

  it('returns scripted errors with OpenAI-style bodies and headers', async () => {
    llm = await startScriptedLlm({
      script: [
        fail(429, { headers: { 'retry-after': '7' } }),
        fail(400, {
          error: { message: 'context too long', type: 'invalid_request_error', code: 'context_length_exceeded' },
        }),
      ],
    });
    const openai = client(llm.url);
    const req = () => openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    const limited = await req().catch((e) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.headers.get('retry-after')).toBe('7');
    const bad = await req().catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.error).toMatchObject({ message: 'context too long', code: 'context_length_exceeded' });
  });

  it('checks the bearer key when configured and serves the model list', async () => {
    llm = await startScriptedLlm({ script: [answer('ok')], apiKey: 'sk-right' });
    const wrong = await client(llm.url, 'sk-wrong')
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(llm.requests).toHaveLength(0);
    const models = await client(llm.url, 'sk-right').models.list();
    expect(models.data.map((m) => m.id)).toEqual(['sandbox-scripted']);
    const ok = await client(llm.url, 'sk-right').chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(ok.choices[0]?.message.content).toBe('ok');
  });

  it('rejects malformed requests as OpenAI does', async () => {
    llm = await startScriptedLlm({ script: [answer('never')] });
    const res = await fetch(`${llm.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('messages');
    expect(llm.remaining()).toBe(1);
  });

  it('streams answers and tool calls as server-sent events', async () => {
    llm = await startScriptedLlm({
      script: [
        answer('the checkout deployment is crash-looping because DATABASE_URL is missing'),
        callTools([
          { name: 'k8s_list_pods', arguments: { namespace: 'shop', labelSelector: 'app=checkout,tier=web' } },
        ]),
      ],
    });
    const openai = client(llm.url);
    const text = await openai.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(text.choices[0]?.message.content).toBe(
      'the checkout deployment is crash-looping because DATABASE_URL is missing',
    );
    const tools = await openai.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [podsTool] })
      .finalChatCompletion();
    const call = tools.choices[0]?.message.tool_calls?.[0];
    expect(tools.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      namespace: 'shop',
      labelSelector: 'app=checkout,tier=web',
    });
    expect(llm.requests.map((r) => r.stream)).toEqual([true, true]);
  });

  it('delays slow turns, and a client that gives up does not hold the server', async () => {
    llm = await startScriptedLlm({ script: [slow(5_000, answer('late')), slow(50, answer('a bit late'))] });
    const openai = new OpenAI({ baseURL: llm.url, apiKey: 'k', maxRetries: 0, timeout: 200 });
    const started = Date.now();
    const err = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(4_000);
    const next = await client(llm.url).chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(next.choices[0]?.message.content).toBe('a bit late');
  });

  it('replaces its script on setScript', async () => {
    llm = await startScriptedLlm({ script: [answer('one')] });
    llm.setScript([answer('two'), answer('three')]);
    const c = client(llm.url);
    const r = await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(r.choices[0]?.message.content).toBe('two');
    expect(llm.remaining()).toBe(1);
  });
});
