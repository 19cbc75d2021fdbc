/**
 * `FEISHU_EVENT_MODE=websocket`: the SDK's long connection feeds the same receiver as the webhook, so a team
 * can run the bot without a public URL. Events arrive in plaintext on an authenticated connection (no
 * signature or token to check); the SDK flattens each event, so the envelope is rebuilt before handing it on.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config.js';
import type { Logger } from '../shared/log.js';
import type { FeishuReceiver } from './receiver.js';
import { CARD_EVENT, MESSAGE_EVENT } from './schemas.js';

const HEADER_KEYS = ['event_id', 'event_type', 'create_time', 'app_id', 'tenant_key'] as const;

/** `{schema, ...header, ...event}` (the SDK's flattened form) back to `{schema, header, event}`. */
export function unflatten(data: Record<string, unknown>): Record<string, unknown> {
  const header: Record<string, unknown> = {};
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'schema') continue;
    if ((HEADER_KEYS as readonly string[]).includes(k)) header[k] = v;
    else event[k] = v;
  }
  // For card callbacks `token` is the card's update token and belongs to the event; elsewhere it is the
  // verification token of the header.
  if (header.event_type !== CARD_EVENT && 'token' in event) {
    header.token = event.token;
    delete event.token;
  }
  if (data.tenant_key !== undefined) event.tenant_key = data.tenant_key;
  return { schema: '2.0', header, event };
}

export interface LongConnection {
  close(): void;
}

export function startLongConnection(config: Config, receiver: FeishuReceiver, log: Logger): LongConnection {
  const handle = async (data: unknown) => {
    try {
      return await receiver.handleEnvelope(unflatten(data as Record<string, unknown>), 'websocket');
    } catch (err) {
      log.warn({ err }, 'long-connection event refused');
      return {};
    }
  };
  const sdkLog =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log[level](
        {
          sdk: msg
            .map((m) => (typeof m === 'string' ? m : JSON.stringify(m)))
            .join(' ')
            .slice(0, 500),
        },
        'long connection',
      );
  const logger = {
    error: sdkLog('error'),
    warn: sdkLog('warn'),
    info: sdkLog('debug'),
    debug: sdkLog('debug'),
    trace: sdkLog('debug'),
  };
  const dispatcher = new lark.EventDispatcher({ logger }).register({
    [MESSAGE_EVENT]: handle,
    [CARD_EVENT]: handle,
  } as never);
  const ws = new lark.WSClient({
    appId: config.feishu.appId ?? '',
    appSecret: config.feishu.appSecret ?? '',
    domain: config.feishu.domain,
    logger,
    autoReconnect: true,
    onReady: () => log.info('Feishu long connection established'),
    onError: (err) => log.error({ err }, 'Feishu long connection failed: check FEISHU_APP_ID/FEISHU_APP_SECRET'),
  });
  void ws.start({ eventDispatcher: dispatcher });
  return { close: () => ws.close({ force: true }) };
}
