import { afterEach, describe, expect, it } from 'vitest';
import type { FeishuEmulator } from '../../../../src/sandbox/feishu/index.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { ALICE, feishuError, ONCALL_CHAT, sdkClient, startTestEmulator } from '../../../helpers/feishu-emulator.js';

const text = (t: string) => JSON.stringify({ text: t });

describe('Feishu emulator: rate limits and faults', () => {
  let emu: FeishuEmulator | undefined;
  afterEach(() => emu?.close());

  it('allows 5 messages per second per chat, then answers 400/230020', async () => {
    const clock = new FakeClock(Date.now());
    emu = await startTestEmulator({ clock });
    const client = sdkClient(emu);
    const send = () =>
      client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: ONCALL_CHAT, msg_type: 'text', content: text('x') },
      });
    for (let i = 0; i < 5; i++) await send();
    expect(await feishuError(send())).toMatchObject({ status: 400, code: 230020 });
    await clock.advance(1000);
    await send();
    expect(emu.sendTimes(ONCALL_CHAT)).toHaveLength(6);
    expect(emu.maxSendsPerSecond(ONCALL_CHAT)).toBe(5);
  });

  it('allows 50 message API calls per second per app, then 429/99991400 with x-ogw-ratelimit headers', async () => {
    const clock = new FakeClock(Date.now());
    const chats = Array.from({ length: 11 }, (_, i) => ({
      chatId: `oc_chat${i}`,
      name: `c${i}`,
      type: 'group' as const,
      members: [ALICE.openId],
    }));
    emu = await startTestEmulator({ clock, chats });
    const client = sdkClient(emu);
    const results = [];
    for (let i = 0; i < 51; i++) {
      const call = client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: `oc_chat${i % 11}`, msg_type: 'text', content: text(String(i)) },
      });
      results.push(await call.then(() => 'ok').catch((e) => e));
    }
    expect(results.filter((r) => r === 'ok')).toHaveLength(50);
    const err = results.find((r) => r !== 'ok') as {
      response: { status: number; data: { code: number }; headers: Record<string, string> };
    };
    expect(err.response.status).toBe(429);
    expect(err.response.data.code).toBe(99991400);
    expect(err.response.headers['x-ogw-ratelimit-limit']).toBe('50');
    expect(Number(err.response.headers['x-ogw-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    // GETs are not counted against the message API limit.
    await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
  });

  it('limits PATCH to 5 per second per card', async () => {
    const clock = new FakeClock(Date.now());
    emu = await startTestEmulator({ clock });
    const client = sdkClient(emu);
    const c = JSON.stringify({ schema: '2.0', config: { update_multi: true }, body: { elements: [] } });
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: ONCALL_CHAT, msg_type: 'interactive', content: c },
    });
    const id = sent.data?.message_id ?? '';
    for (let i = 0; i < 5; i++) await client.im.message.patch({ path: { message_id: id }, data: { content: c } });
    expect((await feishuError(client.im.message.patch({ path: { message_id: id }, data: { content: c } }))).code).toBe(
      230020,
    );
  });

  it('fails on demand: server errors, rate limits for a count, then recovers; faults can be cleared', async () => {
    emu = await startTestEmulator({ hangMs: 200 });
    const client = sdkClient(emu);
    const send = () =>
      client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: ONCALL_CHAT, msg_type: 'text', content: text('x') },
      });
    await send();
    emu.faults.inject({ kind: 'server_error', path: /im\/v1\/messages/, count: 2 });
    expect((await feishuError(send())).status).toBe(500);
    expect((await feishuError(send())).status).toBe(500);
    await send();
    emu.faults.inject({ kind: 'rate_limit_app', count: 1 });
    expect(await feishuError(send())).toMatchObject({ status: 429, code: 99991400 });
    emu.faults.inject({ kind: 'rate_limit_chat', durationMs: 60_000 });
    expect((await feishuError(send())).code).toBe(230020);
    emu.faults.clear();
    emu.faults.inject({ kind: 'timeout', path: /im\/v1\/messages/ });
    const started = Date.now();
    expect((await feishuError(send())).status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await send();
    const codes = emu.transcript.filter((e) => e.kind === 'api' && e.path.includes('messages')).map((e) => e.status);
    expect(codes).toEqual([200, 500, 500, 200, 429, 400, 504, 200]);
  });
});
