import { describe, expect, it } from 'vitest';
import { CARD_ACTION_NAMES, CardActionSchema, parseCardAction } from '../../../src/cards/actions.js';
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
    ];
    for (const v of ok) expect(parseCardAction(v), JSON.stringify(v)).toEqual(v);
    expect(CARD_ACTION_NAMES.sort()).toEqual(
      ['ack', 'approve', 'investigate', 'reject', 'resolve', 'rollback', 'run_runbook', 'silence'].sort(),
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
});
