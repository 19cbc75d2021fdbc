/**
 * The Feishu side of the app in one place: the client (FeishuPort), the receiver on the webhook routes or the
 * long connection, and the outbox worker. `main.ts` starts it; `stop()` ends it in order.
 */
import type { ActorResolver } from '../access/actor.js';
import type { AppContext } from '../app/context.js';
import type { Router } from '../app/router.js';
import type { HttpServer } from '../http/server.js';
import type { TimerHandle } from '../ports/clock.js';
import type { FeishuPort } from '../ports/feishu.js';
import { botIdentity, FeishuClient } from './client.js';
import { type LongConnection, startLongConnection } from './long-connection.js';
import { OutboxWorker } from './outbox-worker.js';
import { FeishuReceiver } from './receiver.js';
import { mountFeishuRoutes } from './routes.js';

export interface FeishuGateway {
  port: FeishuPort | undefined;
  receiver: FeishuReceiver;
  worker: OutboxWorker | undefined;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  ctx: AppContext;
  router: Router;
  http: HttpServer;
  /** Replaces the SDK client (tests). */
  feishu?: FeishuPort;
  /** Who an open_id is, for every event's `ctx.actor`. */
  actors?: ActorResolver;
}

export function startFeishuGateway(o: GatewayOptions): FeishuGateway {
  const { ctx, router, http } = o;
  const { config, log, clock } = ctx;
  const f = config.feishu;
  const port =
    o.feishu ??
    (f.appId && f.appSecret
      ? new FeishuClient({ appId: f.appId, appSecret: f.appSecret, domain: f.domain, clock, log })
      : undefined);

  const worker = port
    ? new OutboxWorker({ store: ctx.store, feishu: port, clock, log, metrics: ctx.metrics })
    : undefined;
  const receiver = new FeishuReceiver({
    ctx,
    router,
    botOpenId: port ? botIdentity(port, log) : async () => undefined,
    ...(o.actors ? { actors: o.actors } : {}),
  });

  if (port) {
    http.addReadinessCheck('feishu', async () => {
      try {
        if (port instanceof FeishuClient) await port.tokens.get();
        else await port.botInfo();
        return { ok: true };
      } catch (err) {
        return { ok: false, detail: `tenant token not obtainable: ${(err as Error).message}` };
      }
    });
  } else {
    log.warn('no Feishu credentials (FEISHU_APP_ID, FEISHU_APP_SECRET): messages stay queued in the outbox');
  }

  let ws: LongConnection | undefined;
  if (f.eventMode === 'websocket') {
    ws = startLongConnection(config, receiver, log);
  } else {
    mountFeishuRoutes(http.router, receiver);
    if (!f.verificationToken && !f.encryptKey) {
      log.warn(
        'neither FEISHU_VERIFICATION_TOKEN nor FEISHU_ENCRYPT_KEY is set: /feishu/events accepts unauthenticated events',
      );
    }
  }
  receiver.resumeUnfinished();
  worker?.start();

  return {
    port,
    receiver,
    worker,
    async stop() {
      ws?.close();
      receiver.abort();
      // Wait for handlers in flight, at most 5 s; the timer is cleared so it never holds the process open.
      let timer: TimerHandle | undefined;
      await Promise.race([
        receiver.idle(),
        new Promise<void>((resolve) => {
          timer = clock.setTimeout(resolve, 5000);
        }),
      ]);
      if (timer) clock.clearTimeout(timer);
      await worker?.stop();
    },
  };
}
