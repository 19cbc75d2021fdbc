/**
 * Reads request bodies of POST/PUT/PATCH, keeps the raw bytes and parses JSON. Every bad body gets a clear
 * 4xx and nothing is buffered past the point of refusal:
 * - over the limit (1 MiB): 413, declared or streamed, without reading the rest;
 * - not received within `timeoutMs` of the headers (a body trickled a byte at a time): 408, connection closed;
 * - not UTF-8, or a lone surrogate escape in a string: 400 naming the offset or the JSON path;
 * - malformed JSON: 400 with the parser's reason.
 */

import type { Context, Next } from 'koa';
import { CodedError } from '../shared/errors.js';
import { checkJsonDepth } from './json-depth.js';
import { firstInvalidUtf8, loneSurrogatePath } from './utf8.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const BODY_TIMEOUT_MS = 10_000;

declare module 'koa' {
  interface Request {
    /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
    rawBody?: Buffer;
  }
}

export interface BodyReaderOptions {
  limit?: number;
  timeoutMs?: number;
}

export function bodyReader(options: BodyReaderOptions = {}) {
  const limit = options.limit ?? MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? BODY_TIMEOUT_MS;
  return async function readBody(ctx: Context, next: Next): Promise<void> {
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return next();
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) {
      throw new CodedError('payload_too_large', `request body is ${declared} bytes; the limit is ${limit} bytes`);
    }
    const raw = await readLimited(ctx, limit, timeoutMs);
    ctx.request.rawBody = raw;
    const type = ctx.get('content-type');
    if (raw.length === 0) {
      ctx.request.body = undefined;
    } else if (type === '' || /json/i.test(type) || /^text\/plain/i.test(type)) {
      ctx.request.body = parseJson(raw);
    } else {
      throw new CodedError('unsupported_media_type', `content-type ${type} is not accepted; send application/json`);
    }
    return next();
  };
}

/** Strict JSON from UTF-8 bytes (a leading byte order mark is ignored, as RFC 8259 allows). */
export function parseJson(raw: Buffer): unknown {
  const bad = firstInvalidUtf8(raw);
  if (bad >= 0) {
    const byte = (raw[bad] as number).toString(16).padStart(2, '0');
    throw new CodedError(
      'malformed_json',
      `request body is not valid UTF-8: byte 0x${byte} at offset ${bad} does not form a character; send JSON as UTF-8`,
      { detail: { offset: bad } },
    );
  }
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  checkJsonDepth(text, 'request body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CodedError('malformed_json', `request body is not valid JSON: ${(err as Error).message}`);
  }
  const path = loneSurrogatePath(text, value);
  if (path !== undefined) {
    const where = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    throw new CodedError(
      'malformed_json',
      `request body has a lone UTF-16 surrogate escape (\\ud800–\\udfff without its pair) at ${where}; it is not text`,
    );
  }
  return value;
}

function readLimited(ctx: Context, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = ctx.req;
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const refuse = (err: CodedError) => {
      // Stop buffering; answer and close the connection once the answer is out.
      cleanup();
      req.resume();
      ctx.set('connection', 'close');
      reject(err);
    };
    const timer = setTimeout(() => {
      refuse(
        new CodedError(
          'request_timeout',
          `request body not received within ${timeoutMs / 1000} s (${size} bytes arrived); send the whole body at once`,
        ),
      );
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        refuse(new CodedError('payload_too_large', `request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new CodedError('bad_request', `request body could not be read: ${err.message}`));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
