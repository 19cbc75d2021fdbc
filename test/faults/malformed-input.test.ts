/**
 * A corpus of malformed Alertmanager bodies, Feishu events, card values and commands against the real server:
 * each gets the right 4xx (or, for a card, a toast; for a command, a usage reply), never a 5xx or a stack
 * trace, nothing is written that should not be, and the process keeps serving.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import type { FeishuEmulator } from '../../src/sandbox/feishu/index.js';
import { ALICE, ONCALL_CHAT, startTestEmulator } from '../helpers/feishu-emulator.js';
import { eventually, startAppAgainst } from '../helpers/gateway-app.js';

const TOKEN = 'corpus-token';
const STACK = /\n\s+at |node_modules|\.ts:\d+/;

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const validAlert = (labels: Record<string, string>) =>
  JSON.stringify({
    version: '4',
    status: 'firing',
    receiver: 'r',
    groupKey: '{}:{}',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am',
    truncatedAlerts: 0,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'CorpusAlert', severity: 'warning', ...labels },
        annotations: {},
        startsAt: '2026-12-01T08:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: '0123456789abcdef',
      },
    ],
  });

/** Bodies the webhook must refuse, with the status it must answer. */
const BAD_ALERT_BODIES: { name: string; body: string | Buffer; status: number }[] = [
  { name: 'truncated JSON', body: validAlert({}).slice(0, 40), status: 400 },
  { name: 'not JSON', body: 'alertname=Foo', status: 400 },
  { name: 'empty body', body: '', status: 400 },
  { name: 'a JSON array', body: '[]', status: 400 },
  { name: 'alerts of the wrong type', body: '{"version":"4","status":"firing","alerts":"many"}', status: 400 },
  {
    name: 'a label that is a number',
    body: validAlert({}).replace('"severity":"warning"', '"severity":3'),
    status: 400,
  },
  { name: 'no alerts key', body: '{"version":"4","status":"firing"}', status: 400 },
  { name: 'deep nesting', body: nested(200), status: 400 },
  {
    name: 'invalid UTF-8',
    body: Buffer.concat([Buffer.from(validAlert({}).slice(0, 60)), Buffer.from([0xc3, 0x28, 0xff])]),
    status: 400,
  },
  { name: 'over 1 MiB', body: validAlert({ huge: 'x'.repeat(1_100_000) }), status: 413 },
];

describe('malformed input corpus', () => {
  let emu: FeishuEmulator;
  let app: RunningApp;
  let base: string;
  const count = (table: string) =>
    (app.ctx.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeAll(async () => {
    emu = await startTestEmulator();
    app = await startAppAgainst(emu, { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, FEISHU_DEFAULT_CHAT_ID: ONCALL_CHAT });
    base = `http://127.0.0.1:${(app.address as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  const postAlert = (body: string | Buffer, token = TOKEN) =>
    fetch(`${base}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });

  for (const c of BAD_ALERT_BODIES) {
    it(`Alertmanager body: ${c.name} → ${c.status} with a reason, nothing stored`, async () => {
      const before = [count('alert_webhooks'), count('alerts'), count('incidents')];
      const res = await postAlert(c.body);
      const text = await res.text();
      expect(res.status).toBe(c.status);
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toMatch(STACK);
      expect([count('alert_webhooks'), count('alerts'), count('incidents')]).toEqual(before);
    });
  }

  it('Alertmanager body with a wrong token → 401, nothing stored', async () => {
    const before = count('alert_webhooks');
    expect((await postAlert(validAlert({}), 'wrong')).status).toBe(401);
    expect(count('alert_webhooks')).toBe(before);
  });

  it('RTL, zero-width and emoji label values are valid: stored as sent, shown escaped', async () => {
    const weird = { namespace: 'shop', pod: '\u202eevil\u200b-pod\u2066', note: 'ملاحظة 🔥' };
    const res = await postAlert(validAlert(weird));
    expect(res.status).toBe(200);
    await app.intake.idle();
    const row = app.ctx.store.db.prepare("SELECT labels FROM alerts WHERE fingerprint = '0123456789abcdef'").get() as
      | { labels: string }
      | undefined;
    expect(JSON.parse(row?.labels ?? '{}')).toMatchObject(weird);
  });

  const FEISHU_EVENTS: { name: string; body: string | Buffer; ok: (status: number) => boolean }[] = [
    { name: 'truncated JSON', body: '{"schema":"2.0","header":{"event_id":"e1"', ok: (s) => s === 400 },
    { name: 'deep nesting', body: nested(200), ok: (s) => s === 400 },
    { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), ok: (s) => s === 400 },
    {
      name: 'a wrong verification token',
      body: JSON.stringify({
        schema: '2.0',
        header: { event_id: 'e2', token: 'forged', event_type: 'im.message.receive_v1' },
        event: {},
      }),
      ok: (s) => s === 401,
    },
    // Without a token there is nothing to trust: refused as unauthenticated or malformed.
    { name: 'an array', body: '[1,2,3]', ok: (s) => s === 400 || s === 401 },
  ];
  for (const c of FEISHU_EVENTS) {
    it(`Feishu event: ${c.name} → 4xx, nothing recorded`, async () => {
      const before = count('processed_events');
      const res = await fetch(`${base}/feishu/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: c.body,
      });
      const text = await res.text();
      expect(c.ok(res.status), `status ${res.status}: ${text}`).toBe(true);
      expect(text).not.toMatch(STACK);
      expect(count('processed_events')).toBe(before);
    });
  }

  it('card values: unknown actions, wrong types, huge strings → a toast saying why, the card untouched', async () => {
    const card = await eventually(() =>
      emu.messages(ONCALL_CHAT).find((m) => m.msgType === 'interactive' && m.content.includes('CorpusAlert')),
    );
    const values: unknown[] = [
      { action: 'launch_missiles' },
      { action: 'ack', incidentId: 'one' },
      { action: 'ack', incidentId: -1 },
      { action: 'silence', incidentId: 1, duration: 'forever' },
      { action: 'ack', incidentId: 1, note: 'x'.repeat(200_000) },
      'not an object',
      { action: '\u202eack' },
    ];
    const before = [emu.message(card.messageId)?.content, count('incident_timeline')];
    for (const value of values) {
      const r = await emu.clickButton({ messageId: card.messageId, operator: ALICE.openId, value: value as never });
      expect(r.status, JSON.stringify(value).slice(0, 80)).toBe(200);
      expect(['error', 'warning'], JSON.stringify(value).slice(0, 80)).toContain(r.toast?.type);
      expect(r.toast?.content ?? '').not.toMatch(STACK);
    }
    expect([emu.message(card.messageId)?.content, count('incident_timeline')]).toEqual(before);
  });

  it('commands: malformed arguments and unknown commands get a usage reply, nothing changes', async () => {
    const before = count('incident_timeline');
    const texts = [
      '/ack not-a-number',
      '/silence',
      '/silence 99years',
      '/frobnicate now',
      `/incident ${'9'.repeat(5000)}`,
      '/resolve \u202e\u200b',
    ];
    for (const text of texts) {
      const seen = emu.messages(ONCALL_CHAT).length;
      emu.sendUserMessage({ chatId: ONCALL_CHAT, from: ALICE.openId, text, mentionBot: true });
      const reply = await eventually(() =>
        emu
          .messages(ONCALL_CHAT)
          .slice(seen)
          .find((m) => m.sender.type === 'bot'),
      );
      expect(reply.content, text).not.toMatch(STACK);
      expect(reply.content.length, text).toBeGreaterThan(2);
    }
    expect(count('incident_timeline')).toBe(before);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
