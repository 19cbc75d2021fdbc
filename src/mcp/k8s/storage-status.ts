/**
 * `storage_status`: PersistentVolumeClaims with what an on-call needs at once — phase, requested and actual
 * capacity, the StorageClass and whether it can expand, a resize in progress, which pods mount the claim, and
 * the claim's latest Warning event.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool } from '../tool.js';
import { kube } from './call.js';
import { type KubeDeps, pick } from './clusters.js';
import { table } from './summarize.js';
import { cluster, namespace } from './validate.js';

const input = z.strictObject({
  namespace: namespace.optional().describe('namespace; all namespaces when omitted'),
  cluster,
});

export const storageStatusTool = defineTool({
  name: 'storage_status',
  title: 'Storage status (PVCs)',
  description:
    'PersistentVolumeClaims: phase, requested vs actual capacity, StorageClass and whether it allows expansion, ' +
    'resize in progress, the pods mounting each claim, and its latest Warning event.',
  input,
  safetyClass: 'read',
  async run(args, deps: KubeDeps) {
    const c = pick(deps, args.cluster);
    const ns = args.namespace;
    const where = ns ? `/namespaces/${ns}` : '';
    const [pvcs, classes, pods, events] = await Promise.all([
      kube(c.name, `GET /api/v1${where}/persistentvolumeclaims`, () =>
        ns
          ? c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })
          : c.core.listPersistentVolumeClaimForAllNamespaces(),
      ),
      kube(c.name, 'GET /apis/storage.k8s.io/v1/storageclasses', () => c.storage.listStorageClass()),
      kube(c.name, `GET /api/v1${where}/pods`, () =>
        ns ? c.core.listNamespacedPod({ namespace: ns }) : c.core.listPodForAllNamespaces(),
      ),
      kube(c.name, `GET /api/v1${where}/events?fieldSelector=involvedObject.kind=PersistentVolumeClaim`, () =>
        ns
          ? c.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.kind=PersistentVolumeClaim' })
          : c.core.listEventForAllNamespaces({ fieldSelector: 'involvedObject.kind=PersistentVolumeClaim' }),
      ),
    ]);
    if (pvcs.items.length === 0)
      return {
        status: 'no_data',
        searched: `PersistentVolumeClaims in ${ns ? `namespace ${ns}` : 'all namespaces'} (cluster ${c.name})`,
      };
    const byClass = new Map(classes.items.map((sc) => [sc.metadata?.name, sc]));
    const defaultClass = classes.items.find(
      (sc) => sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    )?.metadata?.name;
    const rows = pvcs.items.map((p) => {
      const pns = p.metadata?.namespace;
      const pname = p.metadata?.name;
      const className = p.spec?.storageClassName ?? defaultClass;
      const sc = className ? byClass.get(className) : undefined;
      const mountedBy = pods.items
        .filter(
          (pod) =>
            pod.metadata?.namespace === pns &&
            (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pname),
        )
        .map((pod) => pod.metadata?.name);
      const warning = events.items
        .filter(
          (e: CoreV1Event) => e.type === 'Warning' && e.involvedObject.name === pname && e.metadata?.namespace === pns,
        )
        .sort((a, b) => String(b.lastTimestamp ?? '').localeCompare(String(a.lastTimestamp ?? '')))[0];
      const resizing = (p.status?.conditions ?? []).filter((x) => x.status === 'True').map((x) => x.type);
      return {
        name: pname,
        namespace: pns,
        phase: p.status?.phase,
        requested: p.spec?.resources?.requests?.storage,
        capacity: p.status?.capacity?.storage ?? '-',
        storageClass: className ?? '-',
        expandable: sc ? (sc.allowVolumeExpansion === true ? 'yes' : 'no') : className ? 'class missing' : 'no class',
        resize: resizing.join(',') || '-',
        mountedBy: mountedBy.join(',') || '-',
        warning: warning ? `${warning.reason}: ${warning.message}` : '-',
      };
    });
    return { status: 'ok', data: { cluster: c.name, items: rows }, text: table(rows) };
  },
});
