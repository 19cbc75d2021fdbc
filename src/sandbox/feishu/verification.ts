import { randomUUID } from 'node:crypto';
import { wireBody } from './crypto.js';
import type { FeishuEmulator } from './emulator.js';

/**
 * The request-URL check Feishu runs when the URL is saved in the console: `{challenge, token,
 * type:'url_verification'}` (encrypted when an encrypt key is set); the bot must echo the challenge within 1 s.
 */
export async function urlVerification(
  emu: FeishuEmulator,
  target: 'events' | 'card' = 'events',
): Promise<{ ok: boolean; status: number; body: string; challenge: string }> {
  const delivery = emu.getDelivery();
  if (delivery?.mode !== 'webhook') throw new Error('url verification needs webhook delivery');
  const url = target === 'card' ? (delivery.cardUrl ?? delivery.eventsUrl) : delivery.eventsUrl;
  const challenge = randomUUID();
  const payload = { challenge, token: emu.app.verificationToken ?? '', type: 'url_verification' };
  const { body, headers } = wireBody(payload, emu.app.encryptKey, emu.now());
  let status = 0;
  let text = '';
  const at = emu.now();
  const started = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(1000) });
    status = res.status;
    text = await res.text();
  } catch {
    // no answer within 1 s
  }
  let echoed: unknown;
  try {
    echoed = (JSON.parse(text) as { challenge?: unknown }).challenge;
  } catch {
    echoed = undefined;
  }
  emu.world.record({
    at,
    direction: 'out',
    kind: 'event',
    method: 'POST',
    path: new URL(url).pathname,
    status,
    ms: Math.round(performance.now() - started),
    eventType: 'url_verification',
    request: payload,
    response: text,
  });
  return { ok: status === 200 && echoed === challenge, status, body: text, challenge };
}
