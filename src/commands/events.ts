/** `/events [kind/name] [-n ns]`: the newest Kubernetes events of a namespace or one object. */
import { z } from 'zod';
import { namespaceArg } from './args.js';
import { readTool } from './cluster-read.js';
import { defineCommand, text } from './define.js';
import { parseRef, type Tokens } from './parse.js';

const args = z.object({
  positional: z.array(z.string()).max(1),
  flags: z.object({ namespace: namespaceArg.optional() }).strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<{ positional: string[]; flags: { namespace?: string } }, Tokens>;

const USAGE = '/events [kind/name] [-n ns]';

export const eventsCommand = defineCommand({
  name: 'events',
  usage: USAGE,
  summary: 'command.events',
  args,
  permission: 'report.read',
  async run(a, ev) {
    const { t } = ev.ctx;
    const inc = ev.threadIncidentId ? ev.deps.incidents.store.incidents.get(ev.threadIncidentId) : undefined;
    const ref = a.positional[0] ? parseRef(a.positional[0]) : undefined;
    if (a.positional[0] && !ref) return text(t('command.usage', { usage: USAGE }));
    const namespace = a.flags.namespace ?? inc?.namespace ?? undefined;
    return readTool(ev, 'k8s.events_list', {
      ...(namespace ? { namespace } : {}),
      ...(ref ? { kind: ref.kind, name: ref.name } : {}),
      limit: 30,
    });
  },
});
