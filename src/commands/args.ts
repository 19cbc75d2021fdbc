/** Argument pieces shared by the command schemas. */
import { z } from 'zod';
import { type AccessScope, incidentScope } from '../access/can.js';
import { oncallNow } from '../incidents/oncall.js';
import type { CommandEvent } from './define.js';
import type { Tokens } from './parse.js';

export const noFlags = z.object({}).strict();
export const incidentIdArg = z
  .string()
  .regex(/^(?:#|inc-)?\d+$/i)
  .transform((s) => Number(s.replace(/^(?:#|inc-)/i, '')));
export const namespaceArg = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/** A schema over tokens with only positional words (no flags, no key=value). */
export function positionalOnly<T extends z.ZodType<unknown, string[]>>(positional: T) {
  return z.object({ positional, flags: noFlags, kv: z.object({}).strict() }) as unknown as z.ZodType<
    { positional: z.infer<T> },
    Tokens
  >;
}

/** The incident a command acts on: the one named, else the thread's. */
export function targetIncident(named: number | undefined, thread: number | undefined): number | undefined {
  return named ?? thread;
}

/** The on-call of the route that owns the incident, for `can()`. */
export function incidentAccess(ev: CommandEvent, id: number | undefined): AccessScope {
  const inc = id === undefined ? undefined : ev.deps.incidents.store.incidents.get(id);
  const deps = ev.deps.incidents;
  return inc ? incidentScope(oncallNow(deps, deps.routes.decide(inc.labels), deps.clock.now())) : {};
}
