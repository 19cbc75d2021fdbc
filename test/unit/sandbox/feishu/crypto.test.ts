import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { decryptEvent, encryptEvent, larkSignature, wireBody } from '../../../../src/sandbox/feishu/index.js';

const examples = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../fixtures/feishu/examples.json'), 'utf8'),
);
const enc = examples.url_verification_encrypted;

describe('Feishu event security', () => {
  it('encrypts exactly like the documented example (same key and IV give the same bytes)', () => {
    const iv = Buffer.from(enc.iv_hex_used, 'hex');
    const out = encryptEvent(enc.encrypt_key, JSON.stringify(enc.decrypted), iv);
    expect(out).toBe(enc.body.encrypt);
    expect(JSON.parse(decryptEvent(enc.encrypt_key, out))).toEqual(enc.decrypted);
  });

  it('signs the compact body like the documented example', () => {
    const s = enc.signature_example;
    expect(JSON.stringify(enc.body)).toBe(s.raw_body);
    expect(
      larkSignature(
        s.headers['X-Lark-Request-Timestamp'],
        s.headers['X-Lark-Request-Nonce'],
        enc.encrypt_key,
        s.raw_body,
      ),
    ).toBe(s.headers['X-Lark-Signature']);
  });

  it('produces bodies the SDK decrypts and whose signature the SDK accepts', async () => {
    const event = examples.im_message_receive_v1_group_text_bot_mention.body;
    const now = Date.parse('2026-11-25T08:00:00Z');
    const { body, headers } = wireBody(event, 'k-123', now, 'nonce1');
    expect(body).toMatch(/^\{"encrypt":"[A-Za-z0-9+/=]+"\}$/);
    expect(headers['x-lark-request-timestamp']).toBe(String(now / 1000));
    const seen: unknown[] = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey: 'k-123', loggerLevel: lark.LoggerLevel.error }).register({
      'im.message.receive_v1': async (data) => {
        seen.push(data.message.message_id);
        return {};
      },
    });
    const data = Object.assign(Object.create({ headers }), JSON.parse(body));
    expect(await dispatcher.invoke(data)).toEqual({});
    expect(seen).toEqual([event.event.message.message_id]);
    // A tampered signature is refused by the SDK.
    const bad = Object.assign(
      Object.create({ headers: { ...headers, 'x-lark-signature': '0'.repeat(64) } }),
      JSON.parse(body),
    );
    expect(await dispatcher.invoke(bad)).toBeUndefined();
  });
});
