/**
 * `/rollback deploy/<name> [--to-revision N] [-n ns]` — runbook `deployment-rollback`: back to the previous
 * revision, or to revision N. In an incident thread the incident's deployment and namespace are implied.
 */
import { z } from 'zod';
import { incidentAccess, namespaceArg } from './args.js';
import { defineCommand } from './define.js';
import { describeTarget, launch, resolveTarget } from './launch.js';
import type { Tokens } from './parse.js';

const USAGE = '/rollback deploy/<name> [--to-revision N] [-n ns]';

const args = z.object({
  positional: z.array(z.string()).max(1),
  flags: z
    .object({
      namespace: namespaceArg.optional(),
      'to-revision': z
        .string()
        .regex(/^[1-9]\d{0,8}$/)
        .optional(),
    })
    .strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<{ positional: string[]; flags: { namespace?: string; 'to-revision'?: string } }, Tokens>;

export const rollbackCommand = defineCommand({
  name: 'rollback',
  usage: USAGE,
  summary: 'command.rollback',
  args,
  permission: 'runbook.request',
  scope: (_a, ev) => incidentAccess(ev, ev.threadIncidentId),
  async run(a, ev) {
    const r = resolveTarget(ev, a.positional[0], a.flags.namespace, ['Deployment'], USAGE);
    if (!r.ok) return r.reply;
    const revision = a.flags['to-revision'];
    return launch(
      ev,
      'deployment-rollback',
      {
        namespace: r.target.namespace,
        deployment: r.target.name,
        ...(revision ? { to_revision: revision } : {}),
      },
      describeTarget(r.target),
      r.incident,
    );
  },
});
