import { describe, expect, it } from 'vitest';
import { type CardClick, Router } from '../../../src/app/router.js';
import { createLogger } from '../../../src/shared/log.js';
import { forClick, testContext } from '../../helpers/app-context.js';

const click: CardClick = {
  operatorOpenId: 'ou_op',
  messageId: 'om_card',
  chatId: 'oc_chat',
  token: 't',
  eventId: 'ev_1',
};

describe('router: forged or absurd button values', () => {
  it('answers with the unknown-button toast and logs a bounded preview, never the whole value', async () => {
    const lines: string[] = [];
    const app = { ...testContext(), log: createLogger('info', { write: (s: string) => void lines.push(s) }) };
    const handled: unknown[] = [];
    const router = new Router().onCardAction('ack', async ({ action: a }) => {
      handled.push(a);
      return {};
    });
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const values = [
      { action: 'ack', incidentId: [2] },
      { action: 'ack', incidentId: ' 2 ' },
      { action: 'ack', incidentId: '0x9' },
      { action: 'ack', incidentId: 2, junk: 'x'.repeat(900_000) },
      { action: 'ack', incidentId: 2, deep },
    ];
    for (const v of values) {
      const r = await router.dispatchCardAction(v, click, forClick(app, click));
      expect(r.toast).toEqual({
        type: 'warning',
        content: 'This button is from an older card and no longer does anything.',
      });
    }
    expect(handled).toEqual([]);
    expect(lines).toHaveLength(values.length);
    for (const line of lines) expect(line.length).toBeLessThan(1_000);
    expect(lines[0]).toContain('{\\"action\\":\\"ack\\",\\"incidentId\\":[2]}');
  });
});
