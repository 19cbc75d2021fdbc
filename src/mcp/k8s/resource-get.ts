import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { kindArg } from './kind-arg.js';
import { KIND_OPS, requestPath } from './kinds.js';
import { trimObject } from './summarize.js';
import { cluster, name, namespace } from './validate.js';

const input = z.strictObject({
  kind: kindArg,
  name,
  namespace: namespace.default('default').describe('namespace (ignored for cluster-scoped kinds)'),
  cluster,
});

export const resourceGetTool = defineTool({
  name: 'resource_get',
  title: 'Get a resource',
  description: 'Get one object as JSON (managed fields removed). For a Secret only its key names are returned.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const ops = KIND_OPS[args.kind];
    const obj = await kube(c.name, requestPath(args.kind, args.namespace, args.name), () =>
      ops.get(c, args.name, args.namespace),
    );
    const trimmed = trimObject(args.kind, obj);
    return { status: 'ok', data: trimmed, text: JSON.stringify(trimmed, null, 1) };
  },
});
