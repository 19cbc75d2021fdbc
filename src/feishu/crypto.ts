/**
 * Feishu's event security: AES-256-CBC with key = sha256(encrypt_key) and the IV as the first 16 bytes of the
 * base64 payload; `X-Lark-Signature = hex(sha256(timestamp + nonce + encrypt_key + raw_body))` over the exact
 * bytes received.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

function keyOf(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey).digest();
}

export function decryptEvent(encryptKey: string, encrypted: string): string {
  const buf = Buffer.from(encrypted, 'base64');
  if (buf.length < 32) throw new Error('encrypted payload is too short');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

export function encryptEvent(encryptKey: string, plain: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

export function signBody(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash('sha256').update(timestamp).update(nonce).update(encryptKey).update(rawBody).digest('hex');
}

export function signatureMatches(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, 'utf8');
  const b = Buffer.from(givenHex.trim().toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `X-Lark-Request-Timestamp` in ms: seconds as documented, milliseconds accepted. */
export function timestampMs(header: string): number | undefined {
  if (!/^\d{1,16}$/.test(header.trim())) return undefined;
  const n = Number(header);
  return n > 1e12 ? n : n * 1000;
}
