/**
 * An OpenAI-compatible endpoint on loopback that plays a script (see script.ts): `POST /v1/chat/completions`
 * (JSON, or SSE with `stream: true`) and `GET /v1/models`. It records every chat request it receives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { assistantMessage, stream } from './reply.js';
import { type RecordedRequest, type Script, ScriptPlayer, type WireMessage } from './script.js';

export const SCRIPTED_MODEL = 'sandbox-scripted';
const BODY_LIMIT = 8 * 1024 * 1024;

export interface ScriptedLlmOptions {
  port?: number;
  host?: string;
  script: Script;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface ScriptedLlm {
  /** Base URL for OpenAI clients, ending in `/v1`. */
  url: string;
  /** Every chat request received, oldest first. */
  requests: RecordedRequest[];
  /** Replaces the script (all its turns unused); recorded requests are kept. */
  setScript(script: Script): void;
  /** Turns not used yet. */
  remaining(): number;
  close(): Promise<void>;
}

const RequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
        content: z.unknown().optional(),
        tool_call_id: z.string().optional(),
        tool_calls: z
          .array(
            z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) }),
          )
          .optional(),
      }),
    )
    .min(1, 'messages must not be empty'),
  tools: z
    .array(
      z.looseObject({
        type: z.string(),
        function: z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.unknown() }),
      }),
    )
    .optional(),
  tool_choice: z.unknown().optional(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});

const DEFAULT_ERRORS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { message: 'The model does not exist.', type: 'invalid_request_error', code: 'model_not_found' },
  429: { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request.', type: 'server_error', code: null },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
};

export async function startScriptedLlm(options: ScriptedLlmOptions): Promise<ScriptedLlm> {
  const player = new ScriptPlayer(options.script);
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let ids = 0;

  const delay = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off('close', onClose);
        resolve(true);
      }, ms);
      const onClose = () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      timers.add(timer);
      res.once('close', onClose);
    });

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === undefined) return sendError(res, 413, { message: 'Request body too large.' });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendError(res, 400, { message: 'We could not parse the JSON body of your request.' });
    }
    const parsed = RequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(res, 400, {
        message: `Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        param: issue?.path.join('.') ?? null,
      });
    }
    const body = parsed.data;
    const recorded: RecordedRequest = {
      model: body.model,
      messages: body.messages as WireMessage[],
      tools: (body.tools ?? []).map((t) => ({
        name: t.function.name,
        description: t.function.description,
        parameters: t.function.parameters,
      })),
      toolChoice: body.tool_choice,
      stream: body.stream === true,
      authorization: req.headers.authorization,
      body: json as Record<string, unknown>,
    };
    requests.push(recorded);

    const turn = player.next(recorded);
    if (turn === undefined) {
      return sendError(res, 500, {
        message: `Scripted LLM: the script has no turn left for this request (request #${requests.length}).`,
        type: 'server_error',
      });
    }
    if (turn.delayMs !== undefined && turn.delayMs > 0 && !(await delay(turn.delayMs, res))) return;
    if (turn.kind === 'error') {
      return sendError(res, turn.status, turn.error ?? {}, turn.headers);
    }
    const id = `chatcmpl-scripted-${++ids}`;
    const message = assistantMessage(turn, recorded, () => `call_scripted_${++ids}`);
    const usage = {
      prompt_tokens: Math.ceil(raw.length / 4),
      completion_tokens: Math.ceil(JSON.stringify(message).length / 4),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const finish = message.tool_calls ? 'tool_calls' : 'stop';
    const created = Math.floor(Date.now() / 1000);
    if (recorded.stream) {
      return stream(res, {
        id,
        created,
        model: body.model,
        message,
        finish,
        usage: body.stream_options?.include_usage ? usage : undefined,
      });
    }
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage,
    });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      req.resume();
      return sendError(res, 401, {});
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      chat(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, { message: `Scripted LLM failed: ${String(err)}` });
        else res.destroy();
      });
      return;
    }
    req.resume();
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [modelObject(SCRIPTED_MODEL)] });
    }
    const model = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && model?.[1]) return sendJson(res, 200, modelObject(decodeURIComponent(model[1])));
    sendError(res, 404, { message: `Unknown request URL: ${req.method} ${path}.`, code: 'unknown_url' });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v1`,
    requests,
    setScript: (script) => player.load(script),
    remaining: () => player.remaining(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function modelObject(id: string) {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'sre-nanobot-sandbox' };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  error: { message?: string; type?: string; code?: string | null; param?: string | null },
  headers: Record<string, string> = {},
): void {
  const fallback = DEFAULT_ERRORS[status] ?? DEFAULT_ERRORS[status >= 500 ? 500 : 400]!;
  sendJson(
    res,
    status,
    {
      error: {
        message: error.message ?? fallback.message,
        type: error.type ?? fallback.type,
        param: error.param ?? null,
        code: error.code === undefined ? fallback.code : error.code,
      },
    },
    headers,
  );
}
