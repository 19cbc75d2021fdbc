/** `/top [pods|nodes] [-n ns]`: current CPU and memory use from the metrics API. */
import { z } from 'zod';
import { namespaceArg } from './args.js';
import { readTool } from './cluster-read.js';
import { defineCommand } from './define.js';
import type { Tokens } from './parse.js';

const args = z.object({
  positional: z.array(z.enum(['pods', 'nodes', 'pod', 'node', 'po', 'no'])).max(1),
  flags: z.object({ namespace: namespaceArg.optional() }).strict(),
  kv: z.object({}).strict(),
}) as unknown as z.ZodType<{ positional: string[]; flags: { namespace?: string } }, Tokens>;

export const topCommand = defineCommand({
  name: 'top',
  usage: '/top [pods|nodes] [-n ns]',
  summary: 'command.top',
  args,
  permission: 'report.read',
  async run(a, ev) {
    const target = a.positional[0]?.startsWith('no') ? 'nodes' : 'pods';
    const inc = ev.threadIncidentId ? ev.deps.incidents.store.incidents.get(ev.threadIncidentId) : undefined;
    const namespace = target === 'pods' ? (a.flags.namespace ?? inc?.namespace ?? undefined) : undefined;
    return readTool(ev, 'k8s.top', { target, ...(namespace ? { namespace } : {}) });
  },
});
