/**
 * A slash command, declared as a tool is (`mcp/tool.ts` `defineTool`): its name, one-line usage, a catalog
 * summary, a zod schema over the tokenized arguments, the permission it needs, and `run`, which answers with a
 * text or a card. `registerCommands` (register.ts) does the parsing, the permission check and the reply.
 *
 *   export const ackCommand = defineCommand({ name: 'ack', usage: '/ack [id]', summary: 'command.ack',
 *     args: z.object({ positional: z.array(incidentIdArg).max(1) }), permission: 'incident.ack', run });
 */
import type { z } from 'zod';
import type { AccessScope } from '../access/can.js';
import type { Permission } from '../access/roles.js';
import type { EventContext } from '../app/context.js';
import type { CommandInfo, IncomingMessage } from '../app/router.js';
import type { IncidentDeps } from '../incidents/context.js';
import type { AlertmanagerPort } from '../ports/alertmanager.js';
import type { CardJson } from '../ports/feishu.js';
import type { RunbookLauncher } from '../ports/remediation.js';
import type { MessageKey } from '../shared/i18n.js';
import type { Tokens } from './parse.js';

export type Reply = { kind: 'text'; text: string } | { kind: 'card'; card: CardJson };

export interface CommandDeps {
  incidents: IncidentDeps;
  alertmanager: AlertmanagerPort | undefined;
  /** The runbook engine; absent: the mutating commands say runbooks are not available. */
  launcher?: RunbookLauncher | undefined;
  /** Every registered command, for `/help` and suggestions. */
  commands: () => CommandInfo[];
}

export interface CommandEvent {
  message: IncomingMessage;
  ctx: EventContext;
  deps: CommandDeps;
  /** The incident of the thread the message was written in (its root is an incident card). */
  threadIncidentId: number | undefined;
  /** Sends an interim reply ("working on it") before a slower answer. */
  interim: (text: string) => void;
}

export interface CommandDef<A extends z.ZodType<unknown, Tokens>> {
  name: string;
  usage: string;
  summary: MessageKey;
  args: A;
  /** What the actor needs; `undefined` for commands anyone may run (help, whoami). */
  permission: Permission | undefined;
  /** The scope of the permission check (the on-call of the incident acted on). */
  scope?: (args: z.infer<A>, ev: CommandEvent) => AccessScope;
  run(args: z.infer<A>, ev: CommandEvent): Promise<Reply>;
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of commands
export type AnyCommand = CommandDef<any>;

export function defineCommand<A extends z.ZodType<unknown, Tokens>>(d: CommandDef<A>): CommandDef<A> {
  return d;
}

export const text = (t: string): Reply => ({ kind: 'text', text: t });
