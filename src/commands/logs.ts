/**
 * `/logs <pod | deploy/name> [-n ns] [-c container] [--tail N] [--previous] [--grep text]`: a container log tail
 * as a card with a code block, redacted (by the tool layer, and again here), keeping the newest lines when it
 * must be cut to fit. For a workload, its newest pod is read. In an incident thread the namespace and workload
 * of the incident are implied.
 */
import { z } from 'zod';
import { logsCard } from '../cards/logs.js';
import { namespaceArg } from './args.js';
import { readToolOutput } from './cluster-read.js';
import { defineCommand, text } from './define.js';
import { parseRef, type Tokens } from './parse.js';

const args = z.object({
  positional: z.array(z.string()).max(1),
  flags: z
    .object({
      namespace: namespaceArg.optional(),
      container: z
        .string()
        .regex(/^[a-z0-9][-a-z0-9]*$/)
        .optional(),
      tail: z.coerce.number().int().min(1).max(5000).optional(),
      previous: z.literal(true).optional(),
      grep: z.string().min(1).max(200).optional(),
    })
    .strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<
  {
    positional: string[];
    flags: { namespace?: string; container?: string; tail?: number; previous?: true; grep?: string };
  },
  Tokens
>;

const USAGE = '/logs <pod | deploy/name> [-n ns] [-c container] [--tail N] [--previous] [--grep text]';

export const logsCommand = defineCommand({
  name: 'logs',
  usage: USAGE,
  summary: 'command.logs',
  args,
  permission: 'logs.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const inc = ev.threadIncidentId ? ev.deps.incidents.store.incidents.get(ev.threadIncidentId) : undefined;
    const implied = inc?.resources[0];
    const ref = a.positional[0] ? parseRef(a.positional[0]) : implied && { kind: implied.kind, name: implied.name };
    const namespace = a.flags.namespace ?? inc?.namespace ?? implied?.namespace ?? undefined;
    if (!ref || !namespace) return text(t('command.usage', { usage: USAGE }));
    let pod = ref.name;
    if (ref.kind.toLowerCase() !== 'pod') {
      const tools = ev.ctx.tools;
      if (!tools) return text(t('command.noCluster'));
      ev.interim(t('command.working'));
      const r = await tools.call(
        'k8s.resources_list',
        { kind: 'pod', namespace },
        { kind: 'command', person: ev.ctx.actor.openId },
      );
      const items = r.kind === 'ok' ? ((r.data as { items?: { name?: string }[] }).items ?? []) : [];
      const found = items.find((p) => p.name?.startsWith(`${ref.name}-`));
      if (!found?.name) return text(t('command.noPod', { name: `${ref.kind}/${ref.name}`, namespace }));
      pod = found.name;
    }
    const reply = await readToolOutput(ev, 'k8s.pod_logs', {
      name: pod,
      namespace,
      ...(a.flags.container ? { container: a.flags.container } : {}),
      ...(a.flags.tail ? { tail: a.flags.tail } : { tail: 100 }),
      ...(a.flags.previous ? { previous: true } : {}),
      ...(a.flags.grep ? { grep: a.flags.grep } : {}),
    });
    if (reply.kind !== 'output') return reply;
    const target = `${namespace}/${pod}${a.flags.container ? ` -c ${a.flags.container}` : ''}${a.flags.previous ? ' --previous' : ''}`;
    const card = logsCard({
      title: t('command.logs.title', { target }),
      log: reply.output,
      note: (lines, cut) =>
        cut > 0 ? t('command.logs.truncated', { lines, cut }) : t('command.logs.shown', { lines }),
      empty: t('command.logs.empty'),
    });
    return { kind: 'card', card };
  },
});
