/**
 * LlmPort over any OpenAI-compatible chat-completions endpoint (OpenAI, Azure-style gateways, vLLM, Ollama, the
 * sandbox's scripted LLM). One request per call with a timeout; one retry after a 429 or 5xx (honouring
 * `retry-after` up to a cap); every failure becomes a CodedError carrying the upstream status and body.
 * Provider differences (missing call ids, calls written in content, reasoning fields, no `tool_choice`) are
 * normalised by `quirks.ts`; an endpoint that refuses `tool_choice` is asked again without it, and never again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import OpenAI from 'openai';
import { type Clock, systemClock } from '../ports/clock.js';
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  FinishReason,
  LlmErrorDetail,
  LlmPort,
  ToolCall,
  ToolChoice,
} from '../ports/llm.js';
import { CodedError, describeError } from '../shared/errors.js';
import { normaliseAssistant, rejectsToolChoice, type WireAssistant } from './quirks.js';

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type MessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export interface OpenAiLlmOptions {
  /** Base URL ending in `/v1`; defaults to OpenAI's. */
  baseUrl?: string;
  apiKey?: string;
  model: string;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Wait before the single retry when the endpoint gives no usable `retry-after`. */
  retryDelayMs?: number;
  /** Longest `retry-after` honoured; a longer one fails at once instead of waiting. */
  maxRetryAfterMs?: number;
  clock?: Clock;
  /** `omit` for endpoints known not to take `tool_choice`; `auto` (default) sends it and drops it if refused. */
  toolChoice?: 'auto' | 'omit';
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The body of the last failed response of one call. The SDK keeps only an `error` object, and some endpoints
 * (vLLM, gateways) answer `{"object":"error","message":…}` or plain text: this keeps what they said.
 */
const failedBody = new AsyncLocalStorage<{ body?: string }>();

const capturingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const slot = failedBody.getStore();
  if (!res.ok && slot) slot.body = (await res.clone().text()).slice(0, BODY_LIMIT);
  return res;
};
const BODY_LIMIT = 2000;

export class OpenAiLlm implements LlmPort {
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly clock: Clock;
  private sendToolChoice: boolean;

  constructor(options: OpenAiLlmOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 20_000;
    this.clock = options.clock ?? systemClock;
    this.sendToolChoice = options.toolChoice !== 'omit';
    this.client = new OpenAI({
      baseURL: options.baseUrl ?? DEFAULT_BASE_URL,
      // Local endpoints often need no key, but the client insists on one.
      apiKey: options.apiKey ?? 'unused',
      maxRetries: 0,
      timeout: this.timeoutMs,
      fetch: capturingFetch,
    });
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    let params = toParams(this.model, request, this.sendToolChoice);
    const offered = new Set((request.tools ?? []).map((t) => t.name));
    let retried = false;
    for (;;) {
      const slot: { body?: string } = {};
      try {
        const completion = await failedBody.run(slot, () =>
          this.client.chat.completions.create(params, {
            signal: request.signal,
            timeout: this.timeoutMs,
            maxRetries: 0,
          }),
        );
        return fromCompletion(completion, retried, offered);
      } catch (caught) {
        const err = withBody(caught, slot.body);
        if (
          params.tool_choice !== undefined &&
          err instanceof OpenAI.APIError &&
          rejectsToolChoice(err.status, err.error ?? err.message)
        ) {
          // The endpoint does not take tool_choice: the model decides by itself from now on.
          this.sendToolChoice = false;
          params = toParams(this.model, request, false);
          continue;
        }
        const wait = retried ? undefined : this.retryWait(err);
        if (wait === undefined) throw toCodedError(err, this.timeoutMs, retried);
        retried = true;
        await this.clock.sleep(wait);
        if (request.signal?.aborted) throw toCodedError(err, this.timeoutMs, retried);
      }
    }
  }

  /** How long to wait before retrying `err`, or undefined when it must not be retried. */
  private retryWait(err: unknown): number | undefined {
    if (!(err instanceof OpenAI.APIError) || err.status === undefined) return undefined;
    if (err.status !== 429 && err.status < 500) return undefined;
    const after = retryAfterMs(err.headers);
    if (after === undefined) return this.retryDelayMs;
    return after <= this.maxRetryAfterMs ? after : undefined;
  }
}

/** The SDK's error with the endpoint's own body when the SDK found no `error` object in it. */
function withBody(err: unknown, body: string | undefined): unknown {
  if (err instanceof OpenAI.APIError && err.error === undefined && body) {
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {}
    (err as { error: unknown }).error = parsed;
  }
  return err;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function toParams(model: string, request: ChatRequest, sendToolChoice: boolean): Params {
  const params: Params = { model, messages: request.messages.map(toMessageParam) };
  if (request.tools && request.tools.length > 0) {
    params.tools = request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    if (request.toolChoice && sendToolChoice) params.tool_choice = toToolChoice(request.toolChoice);
  }
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.maxTokens !== undefined) params.max_tokens = request.maxTokens;
  return params;
}

function toToolChoice(choice: ToolChoice): Params['tool_choice'] {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function toMessageParam(m: ChatMessage): MessageParam {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: m.content };
    case 'user':
      return m.name ? { role: 'user', content: m.content, name: m.name } : { role: 'user', content: m.content };
    case 'assistant':
      return m.toolCalls && m.toolCalls.length > 0
        ? {
            role: 'assistant',
            content: m.content,
            tool_calls: m.toolCalls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: c.name, arguments: JSON.stringify(c.arguments) },
            })),
          }
        : { role: 'assistant', content: m.content ?? '' };
    case 'tool':
      return { role: 'tool', tool_call_id: m.tool_call_id, content: m.content };
    default: {
      const never: never = m;
      throw new Error(`unknown message role: ${JSON.stringify(never)}`);
    }
  }
}

function fromCompletion(
  completion: OpenAI.Chat.Completions.ChatCompletion,
  retried: boolean,
  offered: ReadonlySet<string>,
): ChatResult {
  const choice = completion.choices?.[0];
  if (!choice?.message) {
    throw new CodedError('upstream_error', 'LLM answered without a choice', {
      detail: { body: truncate(JSON.stringify(completion)), retried } satisfies LlmErrorDetail,
    });
  }
  const n = normaliseAssistant(choice.message as WireAssistant, offered, parseToolCall);
  const message: ChatResult['message'] = { content: n.content };
  if (n.toolCalls.length > 0) message.toolCalls = n.toolCalls;
  if (n.reasoning) message.reasoning = n.reasoning;
  const finish = toFinishReason(choice.finish_reason);
  return {
    message,
    finishReason: n.toolCalls.length > 0 && finish === 'stop' ? 'tool_calls' : finish,
    usage: {
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      totalTokens:
        completion.usage?.total_tokens ??
        (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    },
    model: completion.model,
  };
}

/** Parses a tool call's JSON arguments; a model's malformed JSON is reported on the call, not thrown. */
export function parseToolCall(id: string, name: string, raw: string): ToolCall {
  if (raw.trim() === '') return { id, name, arguments: {} };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { id, name, arguments: parsed as Record<string, unknown> };
    }
    return { id, name, arguments: {}, invalidArguments: `arguments must be a JSON object, got: ${truncate(raw)}` };
  } catch (err) {
    return {
      id,
      name,
      arguments: {},
      invalidArguments: `arguments are not valid JSON (${describeError(err)}): ${truncate(raw)}`,
    };
  }
}

function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function toCodedError(err: unknown, timeoutMs: number, retried: boolean): CodedError {
  if (err instanceof CodedError) return err;
  if (err instanceof OpenAI.APIUserAbortError) {
    return new CodedError('timeout', 'LLM request was cancelled', { cause: err, detail: { cancelled: true, retried } });
  }
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new CodedError('timeout', `LLM did not answer within ${timeoutMs} ms`, {
      cause: err,
      detail: { timeoutMs, retried } satisfies LlmErrorDetail,
    });
  }
  if (err instanceof OpenAI.APIError && err.status !== undefined) {
    const body = err.error ?? err.message;
    const detail: LlmErrorDetail = { status: err.status, body: truncateBody(body), retried };
    if (err.status === 429) {
      return new CodedError('rate_limited', `LLM endpoint is rate limiting (429): ${errorText(body)}`, {
        cause: err,
        detail,
      });
    }
    return new CodedError('upstream_error', `LLM endpoint answered ${err.status}: ${errorText(body)}`, {
      cause: err,
      detail,
    });
  }
  return new CodedError('upstream_error', `LLM endpoint unreachable: ${describeError(err)}`, {
    cause: err,
    detail: { retried } satisfies LlmErrorDetail,
  });
}

function errorText(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return truncate((body as { message: string }).message);
  }
  return truncate(typeof body === 'string' ? body : JSON.stringify(body));
}

function truncateBody(body: unknown): unknown {
  if (typeof body === 'string') return truncate(body);
  const text = JSON.stringify(body);
  return text !== undefined && text.length > BODY_LIMIT ? truncate(text) : body;
}

function truncate(s: string): string {
  return s.length > BODY_LIMIT ? `${s.slice(0, BODY_LIMIT)}…` : s;
}
