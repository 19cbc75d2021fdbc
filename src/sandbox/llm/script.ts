/**
 * The scripted LLM's script: a list of turns, each a tool call, a final answer or an error, optionally slow.
 * A turn with `match` answers the first request whose last message it matches (a demo can answer "what's wrong
 * with checkout?" whatever came before); turns without `match` are consumed in order. A turn is used once unless
 * `repeat` is set.
 */

/** One message as the client sent it (OpenAI chat-completions wire format). */
export interface WireMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_call_id?: string;
  tool_calls?: { id: string; type?: string; function: { name: string; arguments: string } }[];
  [key: string]: unknown;
}

/** A request the scripted LLM received, recorded for assertions. */
export interface RecordedRequest {
  model: string;
  messages: WireMessage[];
  tools: { name: string; description?: string; parameters?: unknown }[];
  toolChoice: unknown;
  stream: boolean;
  /** The `Authorization` header, as sent. */
  authorization: string | undefined;
  /** The whole JSON body. */
  body: Record<string, unknown>;
}

type TextMatch = string | RegExp;

/**
 * Which requests a turn answers. A string (case-insensitive substring) or RegExp is tested against the text of
 * the request's last message; `{ user }` / `{ tool }` only when that last message is from the user / a tool
 * result (so a tool result that mentions "checkout" does not re-trigger a turn meant for the question); a
 * function sees the whole request.
 */
export type Matcher = TextMatch | { user?: TextMatch; tool?: TextMatch } | ((request: RecordedRequest) => boolean);

export interface ScriptedToolCall {
  /** Defaults to a generated `call_…` id. */
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface TurnOptions {
  match?: Matcher;
  /** Keep the turn after it is used (for demo answers that may be asked again). */
  repeat?: boolean;
  /** Wait this long before answering (a slow model; lets clients time out). */
  delayMs?: number;
}

export type ScriptTurn = TurnOptions &
  (
    | { kind: 'answer'; content: string | ((request: RecordedRequest) => string) }
    | {
        kind: 'tool_calls';
        calls: ScriptedToolCall[] | ((request: RecordedRequest) => ScriptedToolCall[]);
        /** Text some models send beside their tool calls. */
        content?: string;
      }
    | {
        kind: 'error';
        status: number;
        /** The OpenAI-style `error` object; a default for the status when omitted. */
        error?: { message: string; type?: string; code?: string | null; param?: string | null };
        headers?: Record<string, string>;
      }
  );

export type Script = ScriptTurn[];

/** A final answer. */
export function answer(
  content: string | ((request: RecordedRequest) => string),
  options: TurnOptions = {},
): ScriptTurn {
  return { kind: 'answer', content, ...options };
}

/** One or more tool calls in a single assistant turn. */
export function callTools(
  calls: ScriptedToolCall[] | ((request: RecordedRequest) => ScriptedToolCall[]),
  options: TurnOptions & { content?: string } = {},
): ScriptTurn {
  return { kind: 'tool_calls', calls, ...options };
}

/** An HTTP error with an OpenAI-style body. */
export function fail(
  status: number,
  options: TurnOptions & {
    error?: Extract<ScriptTurn, { kind: 'error' }>['error'];
    headers?: Record<string, string>;
  } = {},
): ScriptTurn {
  return { kind: 'error', status, ...options };
}

/** The same turn, answered after `delayMs`. */
export function slow(delayMs: number, turn: ScriptTurn): ScriptTurn {
  return { ...turn, delayMs };
}

/** The plain text of a wire message's content (string or text parts). */
export function messageText(message: WireMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
      .join('');
  }
  return '';
}

function textMatches(m: TextMatch, text: string): boolean {
  return typeof m === 'string' ? text.toLowerCase().includes(m.toLowerCase()) : m.test(text);
}

export function matches(matcher: Matcher, request: RecordedRequest): boolean {
  if (typeof matcher === 'function') return matcher(request);
  const last = request.messages.at(-1);
  const text = messageText(last);
  if (typeof matcher === 'string' || matcher instanceof RegExp) return textMatches(matcher, text);
  if (matcher.user !== undefined && last?.role === 'user') return textMatches(matcher.user, text);
  if (matcher.tool !== undefined && last?.role === 'tool') return textMatches(matcher.tool, text);
  return false;
}

/** Plays a script: picks the turn that answers each request. */
export class ScriptPlayer {
  private turns: ScriptTurn[] = [];
  private used: boolean[] = [];

  constructor(script: Script) {
    this.load(script);
  }

  load(script: Script): void {
    this.turns = [...script];
    this.used = script.map(() => false);
  }

  /** The turn for this request, or undefined when the script has nothing left for it. */
  next(request: RecordedRequest): ScriptTurn | undefined {
    const matched = this.turns.findIndex((t, i) => !this.used[i] && t.match !== undefined && matches(t.match, request));
    const index = matched >= 0 ? matched : this.turns.findIndex((t, i) => !this.used[i] && t.match === undefined);
    const turn = this.turns[index];
    if (turn === undefined) return undefined;
    if (!turn.repeat) this.used[index] = true;
    return turn;
  }

  /** Turns not used yet (repeatable turns always count). */
  remaining(): number {
    return this.used.filter((u) => !u).length;
  }
}
