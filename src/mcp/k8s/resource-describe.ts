import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { eventsFor } from './events-list.js';
import { kindArg } from './kind-arg.js';
import { KIND_OPS, type Kind, requestPath } from './kinds.js';
import { row, table } from './summarize.js';
import { cluster, name, namespace } from './validate.js';

const input = z.strictObject({
  kind: kindArg,
  name,
  namespace: namespace.default('default').describe('namespace (ignored for cluster-scoped kinds)'),
  cluster,
});

const KIND_NAME: Partial<Record<Kind, string>> = {
  pod: 'Pod',
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  replicaset: 'ReplicaSet',
  service: 'Service',
  node: 'Node',
  job: 'Job',
  cronjob: 'CronJob',
  persistentvolumeclaim: 'PersistentVolumeClaim',
  horizontalpodautoscaler: 'HorizontalPodAutoscaler',
  ingress: 'Ingress',
  configmap: 'ConfigMap',
  secret: 'Secret',
  endpoints: 'Endpoints',
  namespace: 'Namespace',
};

export const resourceDescribeTool = defineTool({
  name: 'resource_describe',
  title: 'Describe a resource',
  description:
    'A describe-style summary of one object: status columns, conditions, containers (state, last termination, ' +
    'restarts) and its recent events.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const ops = KIND_OPS[args.kind];
    const ns = ops.namespaced ? args.namespace : undefined;
    // biome-ignore lint/suspicious/noExplicitAny: read field by field
    const o: any = await kube(c.name, requestPath(args.kind, ns, args.name), () =>
      ops.get(c, args.name, args.namespace),
    );
    const now = deps.now();
    const summary = row(args.kind, o, now);
    const conditions = (o.status?.conditions ?? []).map((x: Record<string, unknown>) => ({
      type: x.type,
      status: x.status,
      reason: x.reason,
      message: x.message,
    }));
    const containers = (o.status?.containerStatuses ?? []).map(
      (cs: Record<string, unknown> & { state?: unknown; lastState?: unknown }) => ({
        name: cs.name,
        ready: cs.ready,
        restartCount: cs.restartCount,
        image: cs.image,
        state: cs.state,
        lastState: cs.lastState,
      }),
    );
    const kindName = KIND_NAME[args.kind];
    const events = kindName ? (await eventsFor(c, ns, { kind: kindName, name: args.name }, now)).slice(0, 20) : [];
    const data = {
      kind: args.kind,
      cluster: c.name,
      summary,
      labels: o.metadata?.labels,
      conditions,
      containers,
      events,
    };
    const text = [
      `${args.kind} ${ns ? `${ns}/` : ''}${args.name} (cluster ${c.name})`,
      table([summary]),
      conditions.length ? `conditions:\n${table(conditions)}` : '',
      containers.length
        ? `containers:\n${containers.map((x: Record<string, unknown>) => `${x.name} ready=${x.ready} restarts=${x.restartCount} state=${JSON.stringify(x.state)} last=${JSON.stringify(x.lastState)}`).join('\n')}`
        : '',
      `events:\n${events.length ? table(events) : '(none)'}`,
    ]
      .filter(Boolean)
      .join('\n');
    return { status: 'ok', data, text };
  },
});
