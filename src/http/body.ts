import type { Context, Next } from 'koa';
import { CodedError } from '../shared/errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

declare module 'koa' {
  interface Request {
    /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
    rawBody?: Buffer;
  }
}

/**
 * Reads request bodies of POST/PUT/PATCH up to 1 MiB (413 beyond, without buffering the rest), keeps the raw
 * bytes, and parses JSON (400 with the parser's reason when it is malformed).
 */
export function bodyReader(limit = MAX_BODY_BYTES) {
  return async function readBody(ctx: Context, next: Next): Promise<void> {
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return next();
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) {
      throw new CodedError('payload_too_large', `request body is ${declared} bytes; the limit is ${limit} bytes`);
    }
    const raw = await readLimited(ctx, limit);
    ctx.request.rawBody = raw;
    const type = ctx.get('content-type');
    if (raw.length === 0) {
      ctx.request.body = undefined;
    } else if (type === '' || /json/i.test(type) || /^text\/plain/i.test(type)) {
      try {
        ctx.request.body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new CodedError('malformed_json', `request body is not valid JSON: ${(err as Error).message}`);
      }
    } else {
      throw new CodedError('unsupported_media_type', `content-type ${type} is not accepted; send application/json`);
    }
    return next();
  };
}

function readLimited(ctx: Context, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = ctx.req;
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; answer 413 and close the connection once the answer is out.
        cleanup();
        req.resume();
        ctx.set('connection', 'close');
        reject(new CodedError('payload_too_large', `request body exceeds the limit of ${limit} bytes`));
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
