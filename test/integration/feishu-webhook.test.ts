import { afterEach, describe, expect, it } from 'vitest';
import { Router } from '../../src/app/router.js';
import { FeishuReceiver } from '../../src/feishu/receiver.js';
import { mountFeishuRoutes } from '../../src/feishu/routes.js';
import { HttpServer } from '../../src/http/server.js';
import { systemClock } from '../../src/ports/clock.js';
import { silentLogger } from '../../src/shared/log.js';
import { Metrics } from '../../src/shared/metrics.js';
import { testContext } from '../helpers/app-context.js';
import {
  BOT_OPEN_ID,
  cardEvent,
  ENCRYPT_KEY,
  examples,
  messageEvent,
  sealed,
  VERIFICATION_TOKEN,
} from '../helpers/feishu.js';

let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

async function start() {
  const ctx = {
    ...testContext({ FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN, FEISHU_ENCRYPT_KEY: ENCRYPT_KEY }),
    clock: systemClock,
  };
  const router = new Router();
  router.onCardAction('ack', async () => ({ toast: { type: 'success', content: 'ok' } }));
  const receiver = new FeishuReceiver({ ctx, router, botOpenId: async () => BOT_OPEN_ID });
  http = new HttpServer({ log: silentLogger(), metrics: new Metrics({ defaultMetrics: false }) });
  mountFeishuRoutes(http.router, receiver);
  const addr = await http.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${addr.port}`;
  const post = (path: string, raw: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${base}${path}`, { method: 'POST', body: raw, headers });
  return { post, ctx };
}

describe('Feishu webhook over HTTP', () => {
  it('401 for plain events, clicks and challenges while FEISHU_ENCRYPT_KEY is set; nothing recorded', async () => {
    const { post, ctx } = await start();
    const bodies = {
      message: messageEvent({ messageId: 'om_plain_http' }),
      click: cardEvent({ action: 'ack', incidentId: 1 }, 'ev_plain_http'),
      challenge: examples.url_verification_plain.body,
    };
    for (const [name, body] of Object.entries(bodies)) {
      for (const path of ['/feishu/events', '/feishu/card']) {
        const res = await post(path, JSON.stringify(body));
        expect(res.status, `${name} ${path}`).toBe(401);
        const answer = (await res.json()) as { error: string; message: string };
        expect(answer.error).toBe('unauthorized');
        expect(answer.message).toContain('FEISHU_ENCRYPT_KEY is set');
      }
    }
    expect(ctx.store.events.get('om_plain_http')).toBeUndefined();
    expect(ctx.store.events.get('ev_plain_http')).toBeUndefined();
  });

  it('answers the encrypted challenge exactly as on the wire', async () => {
    const { post } = await start();
    const ex = examples.url_verification_encrypted;
    const res = await post('/feishu/events', ex.signature_example.raw_body, {
      'content-type': 'application/json',
      ...ex.signature_example.headers,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: ex.decrypted.challenge });
  });

  it('401 for a forged signature, with nothing recorded; 200 with JSON for a card click on /feishu/card', async () => {
    const { post, ctx } = await start();
    const forged = sealed(messageEvent({ messageId: 'om_forged' }), Date.now(), 'wrong-key');
    const refused = await post('/feishu/events', forged.raw, forged.headers);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toContain('FEISHU_ENCRYPT_KEY');
    expect(ctx.store.events.get('om_forged')).toBeUndefined();

    const click = sealed(cardEvent({ action: 'ack', incidentId: 1 }), Date.now());
    const res = await post('/feishu/card', click.raw, click.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ toast: { type: 'success', content: 'ok' } });
  });
});
