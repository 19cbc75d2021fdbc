import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeClients, type KubeDeps, pick } from './clusters.js';
import { eventRow, table } from './summarize.js';
import { cluster, name, namespace } from './validate.js';

const input = z.strictObject({
  namespace: namespace.optional().describe('namespace; all namespaces when omitted'),
  kind: z
    .string()
    .regex(/^[A-Z][A-Za-z]*$/, 'must be a Kind such as Pod')
    .optional()
    .describe('involved object kind, e.g. Pod'),
  name: name.optional().describe('involved object name'),
  type: z.enum(['Normal', 'Warning', 'any']).default('any'),
  limit: z.number().int().min(1).max(500).default(50),
  cluster,
});

/** Events for an object (or a namespace), newest first. */
export async function eventsFor(
  c: KubeClients,
  ns: string | undefined,
  filter: { kind?: string | undefined; name?: string | undefined; type?: string | undefined },
  now: number,
) {
  const fields = [
    filter.kind && `involvedObject.kind=${filter.kind}`,
    filter.name && `involvedObject.name=${filter.name}`,
    filter.type && filter.type !== 'any' && `type=${filter.type}`,
  ].filter(Boolean) as string[];
  const fieldSelector = fields.length ? fields.join(',') : undefined;
  const req = `GET /api/v1${ns ? `/namespaces/${ns}` : ''}/events${fieldSelector ? `?fieldSelector=${fieldSelector}` : ''}`;
  const list = await kube(c.name, req, () =>
    ns
      ? c.core.listNamespacedEvent({ namespace: ns, fieldSelector })
      : c.core.listEventForAllNamespaces({ fieldSelector }),
  );
  const time = (e: (typeof list.items)[number]) =>
    new Date((e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0) as Date | string).getTime();
  return [...list.items].sort((a, b) => time(b) - time(a)).map((e) => eventRow(e, now));
}

export const eventsListTool = defineTool({
  name: 'events_list',
  title: 'Events',
  description:
    'List Kubernetes events, newest first, for a namespace or one object (kind + name), optionally Warnings only.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const rows = (await eventsFor(c, args.namespace, args, deps.now())).slice(0, args.limit);
    if (rows.length === 0) {
      const obj = args.name ? `${args.kind ?? 'object'} ${args.name}` : 'any object';
      return {
        status: 'no_data',
        searched: `${args.type === 'any' ? '' : `${args.type} `}events for ${obj} in ${args.namespace ? `namespace ${args.namespace}` : 'all namespaces'} (cluster ${c.name})`,
      };
    }
    return { status: 'ok', data: { events: rows }, text: table(rows) };
  },
});
