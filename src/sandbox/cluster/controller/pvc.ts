import { parseBytes } from '../objects.js';
import type { K8sObject } from '../store.js';
import type { WorldContext } from '../world-context.js';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/** The PV controller + provisioner: a claim whose StorageClass exists is provisioned and Bound; else Pending. */
export class PvcBinder {
  constructor(private readonly ctx: WorldContext) {}

  sync(): void {
    const ctx = this.ctx;
    const classes = ctx.list('StorageClass');
    for (const pvc of ctx.list('PersistentVolumeClaim'))
      this.ctx.guard(`pvc ${pvc.metadata.namespace}/${pvc.metadata.name}`, () => {
        const status = (pvc.status ?? {}) as { phase?: string };
        if (status.phase === 'Bound') {
          this.resize(pvc);
          return;
        }
        const spec = (pvc.spec ?? {}) as {
          storageClassName?: string;
          accessModes?: string[];
          resources?: { requests?: { storage?: string } };
        };
        const ref = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
        if (spec.storageClassName === '') {
          ctx.event(
            pvc,
            'FailedBinding',
            'no persistent volumes available for this claim and no storage class is set',
            'Warning',
            60_000,
          );
          return;
        }
        const sc = spec.storageClassName
          ? classes.find((c) => c.metadata.name === spec.storageClassName)
          : classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true');
        if (!sc) {
          if (spec.storageClassName)
            ctx.event(
              pvc,
              'ProvisioningFailed',
              `storageclass.storage.k8s.io "${spec.storageClassName}" not found`,
              'Warning',
              60_000,
            );
          else
            ctx.event(
              pvc,
              'FailedBinding',
              'no persistent volumes available for this claim and no storage class is set',
              'Warning',
              60_000,
            );
          if (status.phase !== 'Pending') ctx.setStatus(pvc, { phase: 'Pending' });
          return;
        }
        this.bind(pvc, sc, spec, ref);
      });
  }

  /**
   * Expansion as the external resizer and the kubelet do it: a bound claim asking for more than its capacity
   * gets the `Resizing` condition for one pass, then its new capacity (the file system grown online).
   */
  private resize(pvc: K8sObject): void {
    const status = (pvc.status ?? {}) as {
      capacity?: { storage?: string };
      conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    };
    const wanted = (pvc.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests
      ?.storage;
    const capacity = status.capacity?.storage;
    if (!wanted || parseBytes(wanted) <= parseBytes(capacity)) return;
    const resizing = status.conditions?.some((c) => c.type === 'Resizing');
    if (!resizing) {
      this.ctx.event(pvc, 'ExternalExpanding', 'waiting for an external controller to expand this PVC');
      this.ctx.setStatus(pvc, {
        ...status,
        conditions: [{ type: 'Resizing', status: 'True', lastTransitionTime: this.ctx.ts() }],
      });
      return;
    }
    const { conditions: _done, ...rest } = status;
    this.ctx.setStatus(pvc, { ...rest, capacity: { ...status.capacity, storage: wanted } });
    this.ctx.event(
      pvc,
      'FileSystemResizeSuccessful',
      `MountVolume.NodeExpandVolume succeeded for volume "${String((pvc.spec as { volumeName?: string }).volumeName ?? '')}"`,
    );
  }

  private bind(
    pvc: K8sObject,
    sc: K8sObject,
    spec: { storageClassName?: string; accessModes?: string[]; resources?: { requests?: { storage?: string } } },
    ref: string,
  ): void {
    const ctx = this.ctx;
    const provisioner = String(sc.provisioner ?? 'kubernetes.io/no-provisioner');
    const volume = `pvc-${pvc.metadata.uid}`;
    ctx.event(pvc, 'Provisioning', `External provisioner is provisioning volume for claim "${ref}"`);
    const bound = ctx.modify('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name, (o) => {
      const s = (o.spec ?? {}) as Record<string, unknown>;
      s.volumeName = volume;
      s.storageClassName ??= sc.metadata.name;
      o.spec = s;
      o.metadata.annotations = {
        ...o.metadata.annotations,
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.beta.kubernetes.io/storage-provisioner': provisioner,
        'volume.kubernetes.io/storage-provisioner': provisioner,
      };
    });
    if (!bound) return;
    ctx.setStatus(bound, {
      phase: 'Bound',
      accessModes: spec.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
    });
    ctx.event(pvc, 'ProvisioningSucceeded', `Successfully provisioned volume ${volume}`);
  }
}
