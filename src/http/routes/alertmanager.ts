/**
 * POST /webhooks/alertmanager — transport only: bearer token (constant-time; `none` disables it explicitly),
 * webhook v4 validation with a reason on 400, then the intake, which commits the whole body to SQLite before
 * this answers 200 (the alerts in it are applied right after). Bodies over 1 MiB are refused with 413 by the
 * server's body reader.
 */
import { timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import { type WebhookBody, WebhookBodySchema } from '../../alerts/schema.js';
import { CodedError } from '../../shared/errors.js';

export interface AlertmanagerRouteOptions {
  /** The expected bearer token; `none` accepts unauthenticated bodies; undefined refuses every body. */
  token: string | undefined;
  /** Stores the body durably; resolves with its id once committed. */
  accept: (body: WebhookBody, raw: string | Buffer) => Promise<number>;
}

export const ALERTMANAGER_PATH = '/webhooks/alertmanager';

export function mountAlertmanagerWebhook(router: Router, options: AlertmanagerRouteOptions): void {
  const expected = options.token === undefined || options.token === 'none' ? undefined : Buffer.from(options.token);
  router.post(ALERTMANAGER_PATH, async (ctx) => {
    if (options.token === undefined) {
      throw new CodedError(
        'unauthorized',
        'ALERTMANAGER_WEBHOOK_TOKEN is not set: set it (and http_config.authorization in Alertmanager), or "none"',
      );
    }
    if (expected) {
      const m = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
      const given = Buffer.from(m?.[1]?.trim() ?? '');
      if (!m || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new CodedError(
          'unauthorized',
          m ? 'bearer token does not match ALERTMANAGER_WEBHOOK_TOKEN' : 'missing "Authorization: Bearer <token>"',
        );
      }
    }
    const parsed = WebhookBodySchema.safeParse(ctx.request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      throw new CodedError('bad_request', `not an Alertmanager webhook v4 body: ${issues.join('; ')}`, {
        detail: { issues },
      });
    }
    const raw = ctx.request.rawBody ?? JSON.stringify(ctx.request.body);
    const webhook = await options.accept(parsed.data, raw);
    ctx.status = 200;
    ctx.body = { status: 'ok', alerts: parsed.data.alerts.length, webhook };
  });
}
