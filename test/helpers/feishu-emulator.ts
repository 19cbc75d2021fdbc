import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import {
  type EmulatorConstructorOptions,
  type FeishuEmulator,
  startFeishuEmulator,
} from '../../src/sandbox/feishu/index.js';

/** A fresh app id per test: the node SDK caches tenant tokens process-wide by app id. */
export function testAppId(): string {
  return `cli_${randomBytes(8).toString('hex')}`;
}

export const BOT = { openId: 'ou_7b1e4f2a9c3d5e6f8a0b1c2d3e4f5a6b', name: 'SRE Bot' };
export const ALICE = { openId: 'ou_84aad35d084aa403a838cf73ee18467a', name: 'Alice', email: 'alice@example.com' };
export const BOB = { openId: 'ou_3c14f3a59eaf2825dbe25359f15d7e21', name: 'Bob', email: 'bob@example.com' };
export const CAROL = { openId: 'ou_9f0e1d2c3b4a59687766554433221100', name: 'Carol' };
export const ONCALL_CHAT = 'oc_5ce6d572455d361153b7xx51da133945';
export const OTHER_CHAT = 'oc_a0553eda9014c201e6969b478895c230';

type Options = EmulatorConstructorOptions;

/** A small tenant: the bot, three people, an on-call group and a group without the bot. */
export function testWorld(overrides: Partial<Options> = {}): Options {
  return {
    app: { appId: testAppId(), appSecret: 'secret-used-by-emulator', verificationToken: 'vt_test_token' },
    bot: BOT,
    users: [ALICE, BOB, CAROL],
    chats: [
      { chatId: ONCALL_CHAT, name: 'SRE on-call', type: 'group', members: [ALICE.openId, BOB.openId] },
      { chatId: OTHER_CHAT, name: 'Random', type: 'group', members: [CAROL.openId], botInChat: false },
    ],
    retryDelaysMs: [50, 50],
    ackDeadlineMs: 1000,
    ...overrides,
  };
}

export function startTestEmulator(overrides: Partial<Options> = {}): Promise<FeishuEmulator> {
  return startFeishuEmulator(testWorld(overrides));
}

/** A cache private to one SDK client (the default one is shared by every client of the same app id). */
export function privateCache(): lark.Cache {
  const map = new Map<string | symbol, { value: unknown; expire: number | undefined }>();
  const keyOf = (key: string | symbol, ns?: string) => (typeof key === 'symbol' ? key : `${ns ?? ''}:${key}`);
  return {
    async set(key, value, expire, options) {
      map.set(keyOf(key as string | symbol, options?.namespace), { value, expire });
      return true;
    },
    async get(key, options) {
      const hit = map.get(keyOf(key as string | symbol, options?.namespace));
      if (!hit || (hit.expire !== undefined && hit.expire < Date.now())) return undefined;
      return hit.value;
    },
  };
}

/** The SDK logs every failed call at error level; tests assert on the errors instead. */
export const silentLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** The real node SDK client pointed at the emulator. */
export function sdkClient(emu: FeishuEmulator, appSecret = emu.app.appSecret): lark.Client {
  return new lark.Client({
    appId: emu.app.appId,
    appSecret,
    domain: emu.url,
    cache: privateCache(),
    logger: silentLogger,
  });
}

/** The Feishu error an SDK call was rejected with (HTTP status, body and headers). */
export async function feishuError(
  call: Promise<unknown>,
): Promise<{ status: number; code: number; msg: string; headers: Record<string, string> }> {
  try {
    await call;
  } catch (err) {
    const res = (
      err as { response?: { status: number; data: { code: number; msg: string }; headers: Record<string, string> } }
    ).response;
    if (!res) throw err;
    return { status: res.status, code: res.data.code, msg: res.data.msg, headers: res.headers };
  }
  throw new Error('expected the call to fail');
}

export interface TestBot {
  url: string;
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A bot endpoint built on the SDK's own EventDispatcher (signature check and decryption included). `answer`
 * may replace the default handling (status 200 with the handler's result) for fault tests.
 */
export async function startSdkBot(
  dispatcher: lark.EventDispatcher,
  answer?: (req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>) => Promise<void> | void,
): Promise<TestBot> {
  const handler = lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true });
  const server = createServer((req, res) => {
    const handle = () => handler(req, res);
    void (answer ? answer(req, res, handle) : handle());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhook/event`,
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
