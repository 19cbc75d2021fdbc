/**
 * What of a Feishu event is kept in SQLite (`processed_events.payload`): the envelope as received, minus its
 * credentials. `header.token` is the app's Verification Token, the same in every event, and a card callback's
 * `event.token` lets anyone update that card for 30 minutes; neither is needed once the event is verified, so
 * neither is written. Migration 007 removes them from rows stored before.
 */
import type { Envelope } from './schemas.js';

export function storableEvent(envelope: Envelope): string {
  const { token: _verificationToken, ...header } = envelope.header;
  const { token: _topLevel, ...rest } = envelope as Envelope & { token?: unknown };
  const stored: Record<string, unknown> = { ...rest, header };
  if (envelope.event && 'token' in envelope.event) {
    const { token: _cardToken, ...event } = envelope.event;
    stored.event = event;
  }
  return JSON.stringify(stored);
}
