/**
 * Who is acting: the Feishu identity behind an event, and the configured person it matches, if any. Built once
 * per event by the receiver (through an `ActorResolver`) and handed to handlers, `can()` and the audit log.
 */
import { PeopleDirectory } from './people.js';
import type { Role } from './roles.js';

/** A person as configured under `people` (open_id, or an email resolved to one at start-up). */
export interface Person {
  /** The configured reference: an open_id (`ou_…`) or an email. */
  id: string;
  name?: string;
  roles: readonly Role[];
}

export interface Actor {
  /** The Feishu open_id of whoever clicked or wrote; empty when Feishu sent none (such actors may do nothing). */
  openId: string;
  /** The configured person this open_id is, when `people` names them. */
  person?: Person;
  /** Emails resolved to this open_id, so an on-call list written with emails still recognises the actor. */
  emails?: readonly string[];
  /**
   * Set when no `people` are configured at all: anyone may then ack, resolve and silence (see `can()`).
   * Absent means people are configured and only they, and the on-call, may act.
   */
  openAccess?: true;
}

/** Maps an open_id to the actor it is (the configured person, if any). */
export interface ActorResolver {
  resolve(openId: string | undefined): Actor;
}

/** Matches configured people by open_id only (emails need a `PeopleDirectory` that resolved them). */
export function staticActorResolver(people: readonly Person[]): ActorResolver {
  return new PeopleDirectory(people);
}
