/** Provider differences, from wire responses recorded in the providers' documented shapes (./wire/*.json). */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiLlm } from '../../../src/llm/openai.js';
import type { ChatRequest, ToolSpec } from '../../../src/ports/llm.js';

const wire = (name: string) => readFileSync(new URL(`./wire/${name}.json`, import.meta.url), 'utf8');

interface Replay {
  url: string;
  bodies: Record<string, unknown>[];
  server: Server;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** An endpoint on loopback that answers each request with the next recorded response. */
async function replay(responses: { status?: number; body: string }[]): Promise<Replay> {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const r = responses.shift() ?? { status: 500, body: '{"error":{"message":"no more recordings"}}' };
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(r.body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, bodies, server };
}

const tool = (name: string): ToolSpec => ({ name, description: name, parameters: { type: 'object', properties: {} } });
const TOOLS = [tool('k8s__pod_logs'), tool('k8s__events_list'), tool('prometheus__query')];
const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'why is checkout down?' }],
  tools: TOOLS,
  toolChoice: 'auto',
  ...over,
});

describe('provider quirks', () => {
  it('OpenAI: parallel tool calls keep their ids and parsed arguments', async () => {
    const r = await replay([{ body: wire('openai-parallel') }]);
    const out = await new OpenAiLlm({ baseUrl: r.url, model: 'gpt-4o' }).chat(req());
    expect(out.finishReason).toBe('tool_calls');
    expect(out.message.toolCalls).toEqual([
      {
        id: 'call_Qx1',
        name: 'k8s__pod_logs',
        arguments: { name: 'checkout-7d9f-x2x9q', namespace: 'shop', previous: true },
      },
      { id: 'call_Qx2', name: 'k8s__events_list', arguments: { namespace: 'shop' } },
    ]);
    expect(out.usage).toEqual({ promptTokens: 812, completionTokens: 61, totalTokens: 873 });
  });

  it('vLLM/llama.cpp: missing or empty ids are generated (unique, stable), object arguments accepted, total tokens summed', async () => {
    const r = await replay([{ body: wire('vllm-missing-ids') }, { body: wire('vllm-missing-ids') }]);
    const llm = new OpenAiLlm({ baseUrl: r.url, model: 'qwen' });
    const a = await llm.chat(req());
    const b = await llm.chat(req());
    const ids = a.message.toolCalls?.map((c) => c.id) ?? [];
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^call_[0-9a-f]{12}/);
    expect(b.message.toolCalls?.map((c) => c.id)).toEqual(ids);
    expect(a.message.toolCalls?.[0]?.arguments).toEqual({ name: 'checkout-7d9f-x2x9q', namespace: 'shop' });
    expect(a.usage.totalTokens).toBe(688);
  });

  it('Ollama/Qwen without a tool parser: <tool_call> in content becomes a tool call; the prose stays content', async () => {
    const r = await replay([{ body: wire('ollama-content-tools') }]);
    const out = await new OpenAiLlm({ baseUrl: r.url, model: 'qwen2.5:14b' }).chat(req());
    expect(out.finishReason).toBe('tool_calls');
    expect(out.message.content).toBe('Let me check the logs first.');
    expect(out.message.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'k8s__pod_logs',
        arguments: { name: 'checkout-7d9f-x2x9q', namespace: 'shop' },
      },
    ]);
  });

  it('Llama 3.1: a whole-content JSON call with "parameters" is a tool call — only for an offered tool', async () => {
    const r = await replay([{ body: wire('llama-json-content') }, { body: wire('llama-json-content') }]);
    const llm = new OpenAiLlm({ baseUrl: r.url, model: 'llama3.1:8b' });
    const out = await llm.chat(req());
    expect(out.message.toolCalls?.[0]).toMatchObject({
      name: 'prometheus__query',
      arguments: { query: 'kube_pod_container_status_restarts_total{namespace="shop"}' },
    });
    const notOffered = await llm.chat(req({ tools: [tool('k8s__pod_logs')] }));
    expect(notOffered.message.toolCalls).toBeUndefined();
    expect(notOffered.message.content).toContain('prometheus__query');
  });

  it('DeepSeek: reasoning_content is kept apart from the answer and never sent back', async () => {
    const r = await replay([{ body: wire('deepseek-reasoning') }, { body: wire('deepseek-reasoning') }]);
    const llm = new OpenAiLlm({ baseUrl: r.url, model: 'deepseek-reasoner' });
    const out = await llm.chat(req());
    expect(out.message.content).toBe('## Root cause\nDATABASE_URL is missing in revision 7.');
    expect(out.message.reasoning).toContain('FATAL: DATABASE_URL is not set');
    await llm.chat(
      req({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', ...out.message },
          { role: 'user', content: 'and?' },
        ],
      }),
    );
    const sent = JSON.stringify(r.bodies[1]);
    expect(sent).not.toContain('reasoning');
    expect(sent).toContain('DATABASE_URL is missing in revision 7');
  });

  it('Qwen3/R1 served raw: a leading <think> block is reasoning, not answer', async () => {
    const r = await replay([{ body: wire('qwen3-think') }]);
    const out = await new OpenAiLlm({ baseUrl: r.url, model: 'qwen3:8b' }).chat(req());
    expect(out.message.content).toBe('## Root cause\nConfigMap checkout-config is missing.');
    expect(out.message.reasoning).toBe('The pod restarts because the config map is missing.');
  });

  it('vLLM without auto tool choice: the 400 is answered by asking again without tool_choice, and never sending it again', async () => {
    const r = await replay([
      { status: 400, body: wire('vllm-no-tool-choice') },
      { body: wire('vllm-tool-call') },
      { body: wire('vllm-tool-call') },
    ]);
    const llm = new OpenAiLlm({ baseUrl: r.url, model: 'llama' });
    const out = await llm.chat(req());
    expect(out.message.content).toContain('Inconclusive');
    expect(r.bodies[0]?.tool_choice).toBe('auto');
    expect(r.bodies[1]?.tool_choice).toBeUndefined();
    expect(r.bodies[1]?.tools).toHaveLength(3);
    await llm.chat(req());
    expect(r.bodies[2]?.tool_choice).toBeUndefined();
  });

  it('toolChoice "omit" never sends tool_choice; other 400s still fail with status and body', async () => {
    const r = await replay([
      { body: wire('vllm-tool-call') },
      { status: 400, body: '{"error":{"message":"maximum context length is 8192 tokens"}}' },
    ]);
    const llm = new OpenAiLlm({ baseUrl: r.url, model: 'llama', toolChoice: 'omit' });
    await llm.chat(req());
    expect(r.bodies[0]?.tool_choice).toBeUndefined();
    await expect(llm.chat(req())).rejects.toMatchObject({ code: 'upstream_error', detail: { status: 400 } });
  });
});
