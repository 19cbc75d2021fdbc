/**
 * The Feishu emulator: a loopback Open Platform for the sandbox and for tests (protocol facts:
 * feishu-platform.md in the design references; payload shapes: test/fixtures/feishu/examples.json).
 *
 * Faithful to the documented platform: token endpoint shape, message create/reply/patch/get/urgent, error
 * bodies `{code,msg,error:{log_id}}` with HTTP 400, the codes of the send/patch/urgent/card-update tables,
 * per-chat (5/s → 230020), per-app (50/s and 1000/min → 429/99991400 + x-ogw-ratelimit-*) and per-card PATCH
 * (5/s) limits, event envelopes, AES-256-CBC + X-Lark-Signature, at-least-once re-delivery, callback answer
 * rules (200341/200671/200672/200673), delayed-update token rules, and the long-connection wire protocol.
 *
 * Choices where the platform is not documented: HTTP 400 for token errors (99991661/99991663) and for 10014;
 * 232010 for an unknown chat id and 41050 for an unknown user; 230001 for PATCH of a card without
 * `config.update_multi: true` (required explicitly, before and after, even for JSON 2.0 cards); a delayed update
 * made before the callback is answered is accepted but has no effect (Feishu reverts it); the root message of a
 * thread carries the thread id. Interactive `body.content` echoes the card as sent (Feishu returns a converted
 * form). Not emulated: the 14-day PATCH window, recalls, images/files, template cards beyond storing them.
 */
import type { EmulatorConstructorOptions } from './emulator.js';
import { FeishuEmulator } from './emulator.js';

export { decryptEvent, encryptEvent, larkSignature, wireBody } from './crypto.js';
export type { EmulatorConstructorOptions } from './emulator.js';
export { FeishuEmulator } from './emulator.js';
export { FeishuApiError } from './errors.js';
export type * from './types.js';
export type { SendUserMessageInput, SentUserMessage } from './user-actions.js';
export { urlVerification } from './verification.js';
export type { WsClientConfig } from './ws.js';

/** Starts a Feishu emulator on a loopback port (default 127.0.0.1, a free port); `url` is its base URL. */
export async function startFeishuEmulator(options: EmulatorConstructorOptions): Promise<FeishuEmulator> {
  const emu = new FeishuEmulator(options);
  await emu.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return emu;
}
