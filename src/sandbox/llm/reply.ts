/** The scripted LLM's replies on the wire: the assistant message of a turn, as JSON or as OpenAI's SSE chunks. */
import type { ServerResponse } from 'node:http';
import type { RecordedRequest, ScriptTurn } from './script.js';

export type AssistantWire = {
  role: 'assistant';
  content: string | null;
  refusal: null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
};

export function assistantMessage(
  turn: Exclude<ScriptTurn, { kind: 'error' }>,
  request: RecordedRequest,
  nextCallId: () => string,
): AssistantWire {
  switch (turn.kind) {
    case 'answer':
      return {
        role: 'assistant',
        content: typeof turn.content === 'function' ? turn.content(request) : turn.content,
        refusal: null,
      };
    case 'tool_calls': {
      const calls = typeof turn.calls === 'function' ? turn.calls(request) : turn.calls;
      return {
        role: 'assistant',
        content: turn.content ?? null,
        refusal: null,
        tool_calls: calls.map((c) => ({
          id: c.id ?? nextCallId(),
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        })),
      };
    }
    default: {
      const never: never = turn;
      throw new Error(`unknown turn: ${JSON.stringify(never)}`);
    }
  }
}

export interface StreamReply {
  id: string;
  created: number;
  model: string;
  message: AssistantWire;
  finish: string;
  usage: Record<string, number> | undefined;
}

/** Server-sent events as OpenAI streams them: role, content pieces, tool-call pieces, finish, [DONE]. */
export function stream(res: ServerResponse, r: StreamReply): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, number>) => {
    const choices = usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }];
    const payload = { id: r.id, object: 'chat.completion.chunk', created: r.created, model: r.model, choices };
    res.write(`data: ${JSON.stringify(usage ? { ...payload, usage } : payload)}\n\n`);
  };
  chunk({ role: 'assistant', content: '', refusal: null });
  const content = r.message.content ?? '';
  for (let i = 0; i < content.length; i += 16) chunk({ content: content.slice(i, i + 16) });
  for (const [index, call] of (r.message.tool_calls ?? []).entries()) {
    chunk({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
    });
    const args = call.function.arguments;
    for (let i = 0; i < args.length; i += 32) {
      chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + 32) } }] });
    }
  }
  chunk({}, r.finish);
  if (r.usage) chunk({}, null, r.usage);
  res.end('data: [DONE]\n\n');
}
