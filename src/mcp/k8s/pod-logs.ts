import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { cluster, label, name, namespace } from './validate.js';

const input = z.strictObject({
  name,
  namespace,
  container: label.optional().describe('container name; the first container when omitted'),
  tail: z.number().int().min(1).max(5000).default(200).describe('last N lines'),
  previous: z.boolean().default(false).describe('logs of the previous (crashed) container instance'),
  sinceSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
  grep: z
    .string()
    .min(1)
    .max(200)
    .refine(isRegex, 'must be a valid regular expression')
    .optional()
    .describe('only lines matching this regular expression (case-insensitive)'),
  cluster,
});

function isRegex(s: string): boolean {
  try {
    new RegExp(s, 'i');
    return true;
  } catch {
    return false;
  }
}

export const podLogsTool = defineTool({
  name: 'pod_logs',
  title: 'Pod logs',
  description:
    'Read a pod container log: last N lines, optionally of the previous instance, since a time, filtered by a ' +
    'regular expression. Credentials in log lines are masked.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const q = [
      args.container && `container=${args.container}`,
      `tailLines=${args.tail}`,
      args.previous && 'previous=true',
      args.sinceSeconds && `sinceSeconds=${args.sinceSeconds}`,
    ].filter(Boolean);
    const text = await kube(
      c.name,
      `GET /api/v1/namespaces/${args.namespace}/pods/${args.name}/log?${q.join('&')}`,
      () =>
        c.core.readNamespacedPodLog({
          name: args.name,
          namespace: args.namespace,
          container: args.container,
          tailLines: args.tail,
          previous: args.previous,
          sinceSeconds: args.sinceSeconds,
          limitBytes: 4 * 1024 * 1024,
        }),
    );
    let lines = String(text ?? '').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (args.grep) {
      const re = new RegExp(args.grep, 'i');
      lines = lines.filter((l) => re.test(l));
    }
    const which = `${args.previous ? 'previous ' : ''}log of ${args.namespace}/${args.name}${args.container ? ` container ${args.container}` : ''}`;
    if (lines.length === 0) {
      return {
        status: 'no_data',
        searched: `${which}, last ${args.tail} lines${args.grep ? ` matching /${args.grep}/i` : ''} (cluster ${c.name})`,
      };
    }
    return { status: 'ok', data: { pod: args.name, namespace: args.namespace, lines }, text: lines.join('\n') };
  },
});
