/**
 * `pvc_resize`: grow a PersistentVolumeClaim by patching `spec.resources.requests.storage`. Refused before any
 * request that changes something when the claim is not bound, when its StorageClass does not set
 * `allowVolumeExpansion`, or when the new size is smaller than what it has (volumes cannot shrink). The
 * resize finishes asynchronously: the result says so, and `storage_status` shows the capacity catching up.
 */
import { z } from 'zod';
import { defineTool, type ToolOutcome } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { diff, renderChanges } from './diff.js';
import { parseQuantity } from './quantity.js';
import { cluster, dryRun, name, namespace, quantity } from './validate.js';
import { patchContentType } from './workloads.js';

const input = z.strictObject({
  name,
  namespace,
  size: quantity.describe('the new requested storage, such as 100Gi; never smaller than the current size'),
  dryRun,
  cluster,
});

export const pvcResizeTool = defineTool({
  name: 'pvc_resize',
  title: 'Expand a PVC',
  description:
    'Grow a bound PersistentVolumeClaim to a new size (spec.resources.requests.storage). Refused when its StorageClass lacks allowVolumeExpansion or the size would shrink. Capacity follows asynchronously.',
  input,
  safetyClass: 'write',
  namespaceArg: 'namespace',
  dryRun: true,
  idempotent: true,
  async run(args, deps: KubeDeps): Promise<ToolOutcome> {
    const c = pick(deps, args.cluster);
    const path = `/api/v1/namespaces/${args.namespace}/persistentvolumeclaims/${args.name}`;
    const pvc = await kube(c.name, `GET ${path}`, () =>
      c.core.readNamespacedPersistentVolumeClaim({ name: args.name, namespace: args.namespace }),
    );
    const what = `PVC ${args.namespace}/${args.name}`;
    const refuse = (message: string): ToolOutcome => ({
      status: 'error',
      reason: 'request',
      message: `${what}: ${message}; nothing was changed`,
    });
    const requested = pvc.spec?.resources?.requests?.storage;
    const capacity = pvc.status?.capacity?.storage;
    if (pvc.status?.phase !== 'Bound')
      return refuse(`it is ${pvc.status?.phase ?? 'not bound'}, and only a bound claim can be expanded`);
    const want = parseQuantity(args.size) ?? 0;
    const floor = Math.max(parseQuantity(requested) ?? 0, parseQuantity(capacity) ?? 0);
    if (want < floor)
      return refuse(`${args.size} is smaller than its current ${requested ?? capacity}; a volume cannot shrink`);
    const className = pvc.spec?.storageClassName;
    if (!className)
      return refuse('it has no StorageClass, so it was not provisioned dynamically and cannot be expanded');
    const sc = await kube(c.name, `GET /apis/storage.k8s.io/v1/storageclasses/${className}`, () =>
      c.storage.readStorageClass({ name: className }),
    );
    if (sc.allowVolumeExpansion !== true)
      return refuse(`its StorageClass ${className} does not set allowVolumeExpansion: true`);
    const after =
      want === (parseQuantity(requested) ?? -1)
        ? pvc
        : await kube(c.name, `PATCH ${path}${args.dryRun ? '?dryRun=All' : ''} (merge patch)`, () =>
            c.core.patchNamespacedPersistentVolumeClaim(
              {
                name: args.name,
                namespace: args.namespace,
                body: { spec: { resources: { requests: { storage: args.size } } } },
                dryRun: args.dryRun ? 'All' : undefined,
                fieldManager: 'sre-nanobot',
              },
              patchContentType('merge'),
            ),
          );
    const changes = diff(
      { storage: requested ?? null },
      { storage: after.spec?.resources?.requests?.storage ?? null },
      'spec.resources.requests',
    );
    const note =
      changes.length > 0 && !args.dryRun
        ? `\ncapacity is ${capacity ?? 'unknown'} until the volume is expanded (asynchronous)`
        : '';
    return {
      status: 'ok',
      data: {
        action: 'resize',
        dryRun: args.dryRun,
        cluster: c.name,
        namespace: args.namespace,
        name: args.name,
        storageClass: className,
        capacity: capacity ?? null,
        changes,
      },
      text: renderChanges(`${what} (cluster ${c.name})`, changes, args.dryRun) + note,
    };
  },
});
