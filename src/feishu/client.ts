/**
 * `FeishuPort` over @larksuiteoapi/node-sdk, pointed at FEISHU_DOMAIN (Feishu, Lark or a local emulator).
 * The SDK's own token cache is off: the token comes from `TenantTokenCache` and is passed per call, so a
 * refused token is refreshed and the call retried once. Every failure surfaces as a `FeishuApiError`.
 * Rate limiting and retries belong to the outbox worker, not to this adapter.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Clock } from '../ports/clock.js';
import type { CardJson, FeishuPort, SentMessage, UrgentMode } from '../ports/feishu.js';
import type { Logger } from '../shared/log.js';
import { FeishuApiError, toFeishuError } from './errors.js';
import { TenantTokenCache } from './token.js';

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  domain: string;
  clock: Clock;
  log: Logger;
  /** Per-request timeout. */
  timeoutMs?: number;
}

interface ApiBody {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
  [k: string]: unknown;
}

export class FeishuClient implements FeishuPort {
  readonly sdk: lark.Client;
  readonly tokens: TenantTokenCache;
  private readonly log: Logger;

  constructor(options: FeishuClientOptions) {
    this.log = options.log.child({ component: 'feishu-client' });
    const timeout = options.timeoutMs ?? 10_000;
    const base = lark.defaultHttpInstance;
    // The default instance resolves to the body; add a timeout to every request.
    const req = (o: object) => base.request({ timeout, ...o } as never) as Promise<never>;
    const http: lark.HttpInstance = {
      request: (opts) => req(opts),
      get: (url, opts) => req({ ...opts, url, method: 'GET' }),
      delete: (url, opts) => req({ ...opts, url, method: 'DELETE' }),
      head: (url, opts) => req({ ...opts, url, method: 'HEAD' }),
      options: (url, opts) => req({ ...opts, url, method: 'OPTIONS' }),
      post: (url, data, opts) => req({ ...opts, url, data, method: 'POST' }),
      put: (url, data, opts) => req({ ...opts, url, data, method: 'PUT' }),
      patch: (url, data, opts) => req({ ...opts, url, data, method: 'PATCH' }),
    };
    const quiet = (...msg: unknown[]) => this.log.debug({ sdk: msg.map(String).join(' ').slice(0, 500) }, 'sdk');
    this.sdk = new lark.Client({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.domain.replace(/\/+$/, ''),
      disableTokenCache: true,
      httpInstance: http,
      logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
    });
    this.tokens = new TenantTokenCache(async () => {
      let body: ApiBody;
      try {
        body = (await this.sdk.auth.tenantAccessToken.internal({
          data: { app_id: options.appId, app_secret: options.appSecret },
        })) as ApiBody;
      } catch (err) {
        throw toFeishuError('tenant_access_token', err);
      }
      if (body.code !== 0 || typeof body.tenant_access_token !== 'string') {
        throw new FeishuApiError(
          'tenant_access_token',
          `tenant_access_token failed: code ${body.code} ${body.msg ?? ''}: check FEISHU_APP_ID and FEISHU_APP_SECRET`,
          body.code,
          200,
          undefined,
        );
      }
      return { token: body.tenant_access_token, expireSeconds: Number(body.expire ?? 7200) };
    }, options.clock);
  }

  /** Runs one API call with the cached token; on a refused token, refreshes it and tries once more. */
  private async call(
    api: string,
    fn: (opts: ReturnType<typeof lark.withTenantToken>) => Promise<unknown>,
  ): Promise<ApiBody> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      try {
        const body = ((await fn(lark.withTenantToken(token))) ?? {}) as ApiBody;
        if (typeof body.code === 'number' && body.code !== 0) {
          throw new FeishuApiError(
            api,
            `${api} failed: code ${body.code} ${body.msg ?? ''}`,
            body.code,
            200,
            undefined,
          );
        }
        return body;
      } catch (err) {
        const e = toFeishuError(api, err);
        if (e.kind === 'auth' && attempt === 0) {
          this.log.info({ api, feishuCode: e.feishuCode }, 'tenant token refused; refreshing');
          this.tokens.invalidate(token);
          continue;
        }
        throw e;
      }
    }
  }

  async sendCard(chatId: string, card: CardJson, options: { uuid?: string } = {}): Promise<SentMessage> {
    return this.create(chatId, 'interactive', JSON.stringify(card), options.uuid);
  }

  async sendText(chatId: string, text: string, options: { uuid?: string } = {}): Promise<SentMessage> {
    return this.create(chatId, 'text', JSON.stringify({ text }), options.uuid);
  }

  private async create(chatId: string, msgType: string, content: string, uuid?: string): Promise<SentMessage> {
    const body = await this.call('im.message.create', (o) =>
      this.sdk.im.message.create(
        {
          params: { receive_id_type: 'chat_id' },
          data: { receive_id: chatId, msg_type: msgType, content, ...(uuid ? { uuid } : {}) },
        },
        o,
      ),
    );
    return { messageId: String(body.data?.message_id ?? '') };
  }

  async reply(
    messageId: string,
    message: { msgType: 'text' | 'interactive'; content: string },
    options: { inThread?: boolean; uuid?: string } = {},
  ): Promise<SentMessage> {
    const body = await this.call('im.message.reply', (o) =>
      this.sdk.im.message.reply(
        {
          path: { message_id: messageId },
          data: {
            msg_type: message.msgType,
            content: message.content,
            ...(options.inThread ? { reply_in_thread: true } : {}),
            ...(options.uuid ? { uuid: options.uuid } : {}),
          },
        },
        o,
      ),
    );
    return { messageId: String(body.data?.message_id ?? '') };
  }

  async patchCard(messageId: string, card: CardJson): Promise<void> {
    await this.call('im.message.patch', (o) =>
      this.sdk.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }, o),
    );
  }

  async delayedCardUpdate(token: string, card: CardJson): Promise<void> {
    await this.call('interactive.card.update', (o) =>
      this.sdk.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card } }, o),
    );
  }

  async urgent(messageId: string, mode: UrgentMode, openIds: string[]): Promise<{ invalidUserIds: string[] }> {
    const payload = {
      path: { message_id: messageId },
      params: { user_id_type: 'open_id' as const },
      data: { user_id_list: openIds },
    };
    const body = await this.call(`im.message.urgent_${mode}`, (o) => {
      switch (mode) {
        case 'app':
          return this.sdk.im.message.urgentApp(payload, o);
        case 'sms':
          return this.sdk.im.message.urgentSms(payload, o);
        case 'phone':
          return this.sdk.im.message.urgentPhone(payload, o);
      }
    });
    const invalid = body.data?.invalid_user_id_list;
    return { invalidUserIds: Array.isArray(invalid) ? invalid.map(String) : [] };
  }

  async botInfo(): Promise<{ openId: string; name: string }> {
    const body = await this.call('bot.info', (o) =>
      this.sdk.request({ method: 'GET', url: '/open-apis/bot/v3/info' }, o),
    );
    const bot = (body.bot ?? body.data?.bot ?? {}) as { open_id?: string; app_name?: string };
    if (!bot.open_id) throw new FeishuApiError('bot.info', 'bot.info returned no open_id', body.code, 200, undefined);
    return { openId: bot.open_id, name: bot.app_name ?? '' };
  }

  async resolveEmails(emails: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < emails.length; i += 50) {
      const batch = emails.slice(i, i + 50);
      const body = await this.call('contact.user.batch_get_id', (o) =>
        this.sdk.contact.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { emails: batch } }, o),
      );
      const list = (body.data?.user_list ?? []) as { email?: string; user_id?: string }[];
      for (const u of list) if (u.email && u.user_id) out.set(u.email, u.user_id);
    }
    return out;
  }

  async chatMembers(chatId: string): Promise<{ openId: string; name: string }[]> {
    const out: { openId: string; name: string }[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const body = await this.call('im.chat_members.get', (o) =>
        this.sdk.im.chatMembers.get(
          {
            path: { chat_id: chatId },
            params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
          },
          o,
        ),
      );
      const items = (body.data?.items ?? []) as { member_id?: string; name?: string }[];
      for (const m of items) if (m.member_id) out.push({ openId: m.member_id, name: m.name ?? '' });
      pageToken = typeof body.data?.page_token === 'string' ? body.data.page_token : undefined;
      if (!body.data?.has_more || !pageToken) break;
    }
    return out;
  }
}

/** The bot's open_id, fetched once and remembered; a failure is retried on the next call. */
export function botIdentity(port: Pick<FeishuPort, 'botInfo'>, log: Logger): () => Promise<string | undefined> {
  let known: string | undefined;
  let inflight: Promise<string | undefined> | undefined;
  return async () => {
    if (known) return known;
    inflight ??= port
      .botInfo()
      .then((b) => {
        known = b.openId;
        return known;
      })
      .catch((err) => {
        log.warn(
          { err: (err as Error).message },
          'cannot learn the bot open_id (bot/v3/info); mentions detected by type',
        );
        return undefined;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}
