/**
 * What OpenAI-compatible providers do differently on the wire, normalised to one `AssistantMessage`:
 * - tool calls without an id (some vLLM/Ollama builds, llama.cpp) or with repeated ids get stable generated ones;
 * - `arguments` sent as a JSON object instead of a JSON string (Ollama's native shape leaking through);
 * - tool calls written into `content` by local models without a tool parser: Hermes/Qwen `<tool_call>{…}</tool_call>`,
 *   a fenced ```json block, or the whole content a `{"name":…,"arguments"|"parameters":…}` object or array of them —
 *   accepted only for tools that were offered, so a model quoting JSON in prose is not mistaken for a call;
 * - reasoning: `reasoning_content` (DeepSeek, Qwen/DashScope, vLLM reasoning parsers), `reasoning` (OpenRouter,
 *   newer vLLM), or a leading `<think>…</think>` in content (R1/Qwen3 served raw) — kept apart from the answer.
 */
import { createHash } from 'node:crypto';
import type { ToolCall } from '../ports/llm.js';

/** A tool call as a provider may send it: id missing, arguments a string or already an object. */
export interface WireToolCall {
  id?: string | null;
  type?: string;
  function?: { name?: string; arguments?: unknown };
}

export interface WireAssistant {
  content?: string | null;
  tool_calls?: WireToolCall[] | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
}

export interface NormalisedAssistant {
  content: string | null;
  toolCalls: ToolCall[];
  reasoning?: string;
  /** Where the tool calls came from, for logs and tests. */
  callsFrom: 'none' | 'tool_calls' | 'content';
}

type Parse = (id: string, name: string, raw: string) => ToolCall;

export function normaliseAssistant(
  wire: WireAssistant,
  offered: ReadonlySet<string>,
  parse: Parse,
): NormalisedAssistant {
  let content = wire.content ?? null;
  let reasoning = firstText(wire.reasoning_content, wire.reasoning);
  if (content !== null) {
    const think = /^\s*<think>([\s\S]*?)<\/think>\s*/.exec(content);
    if (think) {
      reasoning = [reasoning, think[1]?.trim()].filter(Boolean).join('\n') || undefined;
      content = content.slice(think[0].length);
    }
  }
  const seen = new Set<string>();
  const calls: ToolCall[] = [];
  for (const [i, c] of (wire.tool_calls ?? []).entries()) {
    if (c.type !== undefined && c.type !== 'function') continue;
    const name = c.function?.name ?? '';
    if (!name) continue;
    const raw = argumentsText(c.function?.arguments);
    calls.push(parse(uniqueId(c.id, name, raw, i, seen), name, raw));
  }
  if (calls.length > 0) return withReasoning({ content, toolCalls: calls, callsFrom: 'tool_calls' }, reasoning);
  if (content && offered.size > 0) {
    const found = callsInContent(content, offered);
    if (found) {
      const toolCalls = found.calls.map((c, i) => parse(uniqueId(undefined, c.name, c.raw, i, seen), c.name, c.raw));
      return withReasoning({ content: found.rest || null, toolCalls, callsFrom: 'content' }, reasoning);
    }
  }
  return withReasoning({ content, toolCalls: [], callsFrom: 'none' }, reasoning);
}

function withReasoning(n: NormalisedAssistant, reasoning: string | undefined): NormalisedAssistant {
  return reasoning ? { ...n, reasoning } : n;
}

function firstText(...xs: (string | null | undefined)[]): string | undefined {
  for (const x of xs) if (typeof x === 'string' && x.trim() !== '') return x;
  return undefined;
}

function argumentsText(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

/** The provider's id when it gave a fresh one; otherwise one derived from the call (stable across replays). */
function uniqueId(id: string | null | undefined, name: string, raw: string, index: number, seen: Set<string>): string {
  let out = id && id.trim() !== '' && !seen.has(id) ? id : undefined;
  if (!out) {
    const h = createHash('sha1').update(`${index}\0${name}\0${raw}`).digest('hex').slice(0, 12);
    out = `call_${h}`;
    for (let n = 2; seen.has(out); n++) out = `call_${h}_${n}`;
  }
  seen.add(out);
  return out;
}

interface ContentCall {
  name: string;
  raw: string;
}

/** Tool calls a model wrote as text, with the text around them; undefined when there are none. */
export function callsInContent(
  content: string,
  offered: ReadonlySet<string>,
): { calls: ContentCall[]; rest: string } | undefined {
  const tagged = [...content.matchAll(/<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g)];
  if (tagged.length > 0) {
    const calls = tagged.flatMap((m) => asCalls(m[1] ?? '', offered));
    if (calls.length > 0) return { calls, rest: content.replace(/<tool_call>[\s\S]*?<\/tool_call>/g, '').trim() };
  }
  const fenced = [...content.matchAll(/```(?:json|tool_call|tool_code)?\s*\n([\s\S]*?)```/g)];
  for (const m of fenced) {
    const calls = asCalls(m[1] ?? '', offered);
    if (calls.length > 0) return { calls, rest: content.replace(m[0], '').trim() };
  }
  const whole = asCalls(content, offered);
  return whole.length > 0 ? { calls: whole, rest: '' } : undefined;
}

function asCalls(text: string, offered: ReadonlySet<string>): ContentCall[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim());
  } catch {
    return [];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const out: ContentCall[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') return [];
    const o = item as Record<string, unknown>;
    const fn = (o.function && typeof o.function === 'object' ? o.function : o) as Record<string, unknown>;
    const name = typeof fn.name === 'string' ? fn.name : undefined;
    if (!name || !offered.has(name)) return [];
    out.push({ name, raw: argumentsText(fn.arguments ?? fn.parameters ?? {}) });
  }
  return out;
}

/** Whether an HTTP 400 says the endpoint does not take `tool_choice` (vLLM without auto tool choice, others). */
export function rejectsToolChoice(status: number | undefined, body: unknown): boolean {
  if (status !== 400 && status !== 422) return false;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return /tool[_ ]choice/i.test(text);
}
