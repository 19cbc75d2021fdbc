import { sql as m001 } from './001_initial.js';
import { sql as m002 } from './002_alerting.js';
import { sql as m003 } from './003_webhook_inbox.js';
import { sql as m004 } from './004_webhook_body_encoding.js';
import { sql as m005 } from './005_domain_model.js';
import { sql as m006 } from './006_approval_binding.js';
import { sql as m007 } from './007_event_tokens_scrubbed.js';
import { sql as m008 } from './008_dead_card_state.js';
import { sql as m009 } from './009_approval_votes.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Forward-only, numbered migrations. Append a new file and a row here; never edit a shipped one. Each
 * migration runs in its own transaction together with the bump of `PRAGMA user_version`.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: m001 },
  { version: 2, name: 'alerting', sql: m002 },
  { version: 3, name: 'webhook inbox', sql: m003 },
  { version: 4, name: 'webhook body encoding', sql: m004 },
  { version: 5, name: 'domain model', sql: m005 },
  { version: 6, name: 'approval binding', sql: m006 },
  { version: 7, name: 'event tokens scrubbed', sql: m007 },
  { version: 8, name: 'dead card state', sql: m008 },
  { version: 9, name: 'approval votes', sql: m009 },
];
