/** Shared set-up for the agent tests: the scripted LLM on loopback behind the real OpenAI adapter. */
import { afterEach } from 'vitest';
import { OpenAiLlm } from '../../../src/llm/openai.js';
import { SCRIPTED_MODEL, type Script, type ScriptedLlm, startScriptedLlm } from '../../../src/sandbox/llm/index.js';
import { messageText, type RecordedRequest } from '../../../src/sandbox/llm/script.js';

const open: ScriptedLlm[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

export async function scripted(script: Script): Promise<{ server: ScriptedLlm; llm: OpenAiLlm }> {
  const server = await startScriptedLlm({ script });
  open.push(server);
  return {
    server,
    llm: new OpenAiLlm({ baseUrl: server.url, apiKey: 'sk-test', model: SCRIPTED_MODEL, timeoutMs: 5000 }),
  };
}

/** Every tool message the model was sent, across all requests, joined. */
export function toolTexts(requests: readonly RecordedRequest[]): string {
  const last = requests.at(-1);
  return (last?.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => messageText(m))
    .join('\n');
}

export const isSubAgent = (role: string) => (r: RecordedRequest) => messageText(r.messages[0]).includes(role);
