/**
 * The LLM port: one chat-completions call in OpenAI terms. The adapter over any OpenAI-compatible endpoint lives
 * in src/llm/openai.ts; tests point it at the sandbox's scripted LLM. Failures are `CodedError`s:
 * `rate_limited` (HTTP 429), `timeout` (no answer in time, or the caller aborted), `upstream_error` (any other
 * HTTP error or a broken connection), each with `detail: { status, body }` so the caller can report them in full.
 */
import { z } from 'zod';

/** A tool call as the model asked for it; `arguments` is already parsed from the JSON string the wire carries. */
export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /**
   * Set when the model's arguments were not a JSON object (then `arguments` is `{}`): send this back to the model
   * as the tool result so it can correct itself.
   */
  invalidArguments: z.string().optional(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * The assistant's side of a turn: text, tool calls, or both. `reasoning` is a reasoning model's thinking
 * (`reasoning_content` on DeepSeek, Qwen and vLLM reasoning parsers): kept for the record, never sent back.
 */
export const AssistantMessageSchema = z.object({
  content: z.string().nullable(),
  toolCalls: z.array(ToolCallSchema).optional(),
  reasoning: z.string().optional(),
});
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;

/**
 * One conversation message. An assistant message is the `message` of a previous `ChatResult`, so a loop appends
 * `{ role: 'assistant', ...result.message }` as it is; each tool result answers one call by `tool_call_id`.
 * A zod schema, so run state holding messages can be persisted and read back checked.
 */
export const ChatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string(), name: z.string().optional() }),
  AssistantMessageSchema.extend({ role: z.literal('assistant') }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: z.string() }),
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** A function the model may call; `parameters` is the JSON Schema generated from the tool's zod input schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatResult {
  message: AssistantMessage;
  finishReason: FinishReason;
  usage: Usage;
  /** The model that answered, as the endpoint reports it. */
  model: string;
}

export interface LlmPort {
  chat(request: ChatRequest): Promise<ChatResult>;
}

/** What an LLM failure carries in `CodedError.detail`. */
export interface LlmErrorDetail {
  /** HTTP status of the failed response; absent for timeouts and connection failures. */
  status?: number;
  /** The endpoint's error body (the OpenAI `error` object when there is one, otherwise its text). */
  body?: unknown;
  /** True when the request was tried twice (one retry after a 429/5xx). */
  retried?: boolean;
  [key: string]: unknown;
}
