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
