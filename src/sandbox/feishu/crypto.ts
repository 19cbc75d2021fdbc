import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Feishu's event security: AES-256-CBC with key = sha256(encryptKey), a random 16-byte IV prepended to the
 * ciphertext, base64 on the wire; and `X-Lark-Signature = hex(sha256(timestamp + nonce + encryptKey + body))`.
 */
export function encryptEvent(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptEvent(encryptKey: string, encrypted: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const buf = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + rawBody)
    .digest('hex');
}

export interface WireBody {
  /** The exact bytes to send (compact JSON: the node SDK re-serialises the parsed body before hashing). */
  body: string;
  headers: Record<string, string>;
}

/**
 * The body and headers Feishu sends for one event or callback: plain JSON without an encrypt key; otherwise
 * `{"encrypt":"..."}` signed with the timestamp (unix seconds) and a random nonce.
 */
export function wireBody(
  payload: unknown,
  encryptKey: string | undefined,
  now: number,
  nonce: string = randomBytes(8).toString('hex'),
): WireBody {
  const json = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (!encryptKey) return { body: json, headers };
  const body = JSON.stringify({ encrypt: encryptEvent(encryptKey, json) });
  const timestamp = String(Math.floor(now / 1000));
  headers['x-lark-request-timestamp'] = timestamp;
  headers['x-lark-request-nonce'] = nonce;
  headers['x-lark-signature'] = larkSignature(timestamp, nonce, encryptKey, body);
  return { body, headers };
}
