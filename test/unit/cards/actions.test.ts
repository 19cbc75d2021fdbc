import { describe, expect, it } from 'vitest';
import { CARD_ACTION_NAMES, CardActionSchema, parseCardAction, previewCardValue } from '../../../src/cards/actions.js';
import { button } from '../../../src/cards/button.js';

describe('card actions', () => {
  it('accepts every documented action shape', () => {
    const ok = [
      { action: 'ack', incidentId: 42 },
      { action: 'resolve', incidentId: 42, note: 'fixed by rollback' },
      { action: 'resolve', incidentId: 42 },
      { action: 'silence', incidentId: 42, duration: '2h' },
      { action: 'investigate', incidentId: 42 },
      { action: 'run_runbook', runbookId: 'restart-deployment', params: { namespace: 'shop' }, incidentId: 42 },
      { action: 'run_runbook', runbookId: 'restart-deployment', params: {} },
      { action: 'approve', approvalId: 'apr-1' },
      { action: 'reject', approvalId: 'apr-1' },
      { action: 'rollback', runId: 'run-9' },
      { action: 'vote', incidentId: 42, verdict: 'partly' },
    ];
    for (const v of ok) expect(parseCardAction(v), JSON.stringify(v)).toEqual(v);
    expect(CARD_ACTION_NAMES.sort()).toEqual(
      ['ack', 'approve', 'investigate', 'reject', 'resolve', 'rollback', 'run_runbook', 'silence', 'vote'].sort(),
    );
  });

  it('refuses values that are not ours or are incomplete', () => {
    expect(parseCardAction({ action: 'ack', incident_id: 'INC-1042' })).toBeUndefined();
    expect(parseCardAction({ action: 'silence', incidentId: 1 })).toBeUndefined();
    expect(parseCardAction({ action: 'delete_cluster' })).toBeUndefined();
    expect(parseCardAction('ack')).toBeUndefined();
  });

  it('a button carries its action as the callback value and refuses an invalid one', () => {
    const b = button({ text: 'Ack', action: { action: 'ack', incidentId: 7 }, type: 'primary' });
    expect(b.behaviors).toEqual([{ type: 'callback', value: { action: 'ack', incidentId: 7 } }]);
    expect(CardActionSchema.parse((b.behaviors as { value: unknown }[])[0]?.value)).toEqual({
      action: 'ack',
      incidentId: 7,
    });
    expect(() => button({ text: 'x', action: { action: 'approve' } as never })).toThrow();
  });

  it('takes incidentId only as a positive integer: a JSON number or a string of digits', () => {
    expect(parseCardAction({ action: 'ack', incidentId: 2 })).toEqual({ action: 'ack', incidentId: 2 });
    expect(parseCardAction({ action: 'ack', incidentId: '2' })).toEqual({ action: 'ack', incidentId: 2 });
    expect(parseCardAction({ action: 'ack', incidentId: '1042' })).toEqual({ action: 'ack', incidentId: 1042 });
    const forged: unknown[] = [
      [2],
      ' 2 ',
      '2 ',
      '0x9',
      '1e3',
      '2.5',
      '+2',
      '-2',
      '',
      '0',
      0,
      -1,
      2.5,
      1e20,
      '9999999999999999',
      true,
      null,
      {},
      { valueOf: 2 },
    ];
    for (const incidentId of forged) {
      expect(parseCardAction({ action: 'ack', incidentId }), JSON.stringify(incidentId)).toBeUndefined();
      expect(parseCardAction({ action: 'silence', incidentId, duration: '1h' })).toBeUndefined();
    }
    expect(parseCardAction({ action: 'run_runbook', runbookId: 'r', params: {}, incidentId: '0x9' })).toBeUndefined();
  });

  it('takes ids only short and plain', () => {
    expect(parseCardAction({ action: 'approve', approvalId: 'apr_01J9:x.y-z' })).toBeDefined();
    for (const approvalId of ['', 'a'.repeat(129), 'apr 1', '../etc', 'apr\n1', '-x', 7]) {
      expect(parseCardAction({ action: 'approve', approvalId }), String(approvalId)).toBeUndefined();
    }
    expect(parseCardAction({ action: 'rollback', runId: 'r'.repeat(128) })).toBeDefined();
    expect(parseCardAction({ action: 'run_runbook', runbookId: 'restart deploy', params: {} })).toBeUndefined();
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    expect(parseCardAction({ action: 'run_runbook', runbookId: 'r', params: many })).toBeUndefined();
    expect(parseCardAction({ action: 'run_runbook', runbookId: 'r', params: { k: 'v'.repeat(1025) } })).toBeUndefined();
  });

  it('refuses absurd values (deep nesting, megabytes, huge arrays) without throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const absurd = [
      { action: 'ack', incidentId: 1, extra: deep },
      deep,
      { action: 'resolve', incidentId: 1, note: 'x'.repeat(1_000_000) },
      { action: 'ack', incidentId: 1, junk: 'x'.repeat(1_000_000) },
      { action: 'ack', incidentId: 1, list: Array.from({ length: 100_000 }, () => 0) },
      Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
    ];
    for (const v of absurd) expect(parseCardAction(v)).toBeUndefined();
    // Extra small keys on a genuine value are dropped, not refused (older cards stay clickable).
    expect(parseCardAction({ action: 'ack', incidentId: 1, v: 2 })).toEqual({ action: 'ack', incidentId: 1 });
  });

  it('previews any value for a log in bounded space', () => {
    expect(previewCardValue({ action: 'ack', incidentId: [2] })).toBe('{"action":"ack","incidentId":[2]}');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(previewCardValue(deep)).toBe('{"a":{"a":{"a":{…}}}}');
    const huge = previewCardValue({ action: 'ack', junk: 'x'.repeat(5_000_000) });
    expect(huge.length).toBeLessThanOrEqual(301);
    expect(huge.startsWith('{"action":"ack","junk":"xxx')).toBe(true);
    expect(previewCardValue(Array.from({ length: 1_000_000 }, () => 1)).length).toBeLessThanOrEqual(301);
  });
});
