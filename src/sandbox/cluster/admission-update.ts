/**
 * Rules an apiserver applies to an update (not a create), given the stored object: a PersistentVolumeClaim's
 * requested storage may change only on a bound claim, may never go below its capacity, and may grow only when
 * its StorageClass sets `allowVolumeExpansion` (the PersistentVolumeClaimResize admission plugin).
 */
import { parseBytes } from './objects.js';
import { failure, invalid } from './status.js';
import type { K8sObject } from './store.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const storageOf = (o: K8sObject): string | undefined => {
  const s = rec(rec(rec(o.spec).resources).requests).storage;
  return typeof s === 'string' || typeof s === 'number' ? String(s) : undefined;
};

export function validateUpdate(
  cur: K8sObject,
  next: K8sObject,
  storageClass: (name: string) => K8sObject | undefined,
): void {
  if (next.kind !== 'PersistentVolumeClaim') return;
  const before = storageOf(cur);
  const after = storageOf(next);
  if (before === after || after === undefined) return;
  const ref = { resource: 'persistentvolumeclaims', group: '', kind: 'PersistentVolumeClaim' };
  const name = cur.metadata.name;
  if (rec(cur.status).phase !== 'Bound')
    throw invalid(ref, name, [
      {
        field: 'spec',
        reason: 'FieldValueForbidden',
        message: 'Forbidden: spec is immutable after creation except resources.requests for bound claims',
      },
    ]);
  const capacity = rec(rec(cur.status).capacity).storage as string | undefined;
  const floor = Math.max(parseBytes(before), parseBytes(capacity));
  if (parseBytes(after) < floor)
    throw invalid(ref, name, [
      {
        field: 'spec.resources.requests.storage',
        reason: 'FieldValueForbidden',
        message: 'Forbidden: field can not be less than status.capacity',
      },
    ]);
  const className = rec(cur.spec).storageClassName;
  const sc = typeof className === 'string' && className ? storageClass(className) : undefined;
  if (sc?.allowVolumeExpansion !== true)
    throw failure(
      403,
      'Forbidden',
      `persistentvolumeclaims "${name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
      { name, group: '', kind: 'persistentvolumeclaims' },
    );
}
