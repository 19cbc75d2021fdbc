import type { K8sObject } from './store.js';
import {
  AGE,
  age,
  col,
  list,
  NAME,
  num,
  type Rec,
  rec,
  since,
  str,
  type TablePrinter,
  WORKLOAD_TAIL,
  workloadTail,
} from './table-columns.js';

function servicePorts(spec: Rec): string {
  const ports = list(spec.ports);
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`)
    .join(',');
}

function externalIp(spec: Rec, status: Rec): string {
  const ingress = list(rec(status.loadBalancer).ingress).map((i) => String(i.ip ?? i.hostname));
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  switch (spec.type) {
    case 'LoadBalancer':
      return [...ingress, ...external].join(',') || '<pending>';
    case 'ExternalName':
      return String(spec.externalName ?? '<none>');
    default:
      return external.join(',') || '<none>';
  }
}

function nodeStatus(o: K8sObject): string {
  const ready = list(rec(o.status).conditions).find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
  if (rec(o.spec).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: K8sObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length > 0 ? roles.join(',') : '<none>';
}

function nodeAddress(o: K8sObject, type: string): string {
  return str(list(rec(o.status).addresses).find((a) => a.type === type)?.address);
}

function endpointsText(o: K8sObject): string {
  const out: string[] = [];
  for (const s of list(o.subsets))
    for (const a of list(s.addresses))
      for (const p of list(s.ports).length > 0 ? list(s.ports) : [{}])
        out.push(p.port === undefined ? String(a.ip) : `${String(a.ip)}:${String(p.port)}`);
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

function hpaTargets(o: K8sObject): string {
  const current = list(rec(o.status).currentMetrics);
  const parts = list(rec(o.spec).metrics).map((m, i) => {
    const target = rec(rec(m.resource).target);
    const cur = rec(rec(current[i]?.resource).current);
    const name = String(rec(m.resource).name ?? m.type);
    const want =
      target.averageUtilization !== undefined
        ? `${String(target.averageUtilization)}%`
        : String(target.averageValue ?? target.value ?? '');
    const have = cur.averageUtilization !== undefined ? `${String(cur.averageUtilization)}%` : '<unknown>';
    return `${name}: ${have}/${want}`;
  });
  return parts.length > 0 ? parts.join(', ') : '<none>';
}

function eventObject(o: K8sObject): string {
  const io = rec(o.involvedObject ?? o.regarding);
  return `${String(io.kind ?? '').toLowerCase()}/${String(io.name ?? '')}`;
}

export const workloadTables: Record<string, TablePrinter> = {
  Deployment: {
    columns: [NAME, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), ...WORKLOAD_TAIL],
    row: (o, now) => {
      const s = rec(o.status);
      return [
        o.metadata.name,
        `${num(s.readyReplicas)}/${num(rec(o.spec).replicas)}`,
        num(s.updatedReplicas),
        num(s.availableReplicas),
        ...workloadTail(o, now),
      ];
    },
  },
  ReplicaSet: {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ...WORKLOAD_TAIL],
    row: (o, now) => {
      const s = rec(o.status);
      return [
        o.metadata.name,
        num(rec(o.spec).replicas),
        num(s.replicas),
        num(s.readyReplicas),
        ...workloadTail(o, now),
      ];
    },
  },
  Service: {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    row: (o, now) => {
      const spec = rec(o.spec);
      const sel = Object.entries(rec(spec.selector)).map(([k, v]) => `${k}=${String(v)}`);
      return [
        o.metadata.name,
        str(spec.type, 'ClusterIP'),
        str(spec.clusterIP),
        externalIp(spec, rec(o.status)),
        servicePorts(spec),
        age(o, now),
        sel.join(',') || '<none>',
      ];
    },
  },
  Node: {
    columns: [
      NAME,
      col('Status'),
      col('Roles'),
      AGE,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    row: (o, now) => {
      const info = rec(rec(o.status).nodeInfo);
      return [
        o.metadata.name,
        nodeStatus(o),
        nodeRoles(o),
        age(o, now),
        str(info.kubeletVersion, ''),
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        str(info.osImage, '<unknown>'),
        str(info.kernelVersion, '<unknown>'),
        str(info.containerRuntimeVersion, '<unknown>'),
      ];
    },
  },
  Event: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Message'),
      col('Subobject', 'string', 1),
      col('Source', 'string', 1),
      col('First Seen', 'string', 1),
      col('Count', 'integer', 1),
      col('Name', 'string', 1, 'name'),
    ],
    row: (o, now) => {
      const io = rec(o.involvedObject ?? o.regarding);
      const src = rec(o.source ?? o.deprecatedSource);
      const last = o.lastTimestamp ?? o.deprecatedLastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      const first = o.firstTimestamp ?? o.deprecatedFirstTimestamp ?? last;
      return [
        since(last, now),
        str(o.type, ''),
        str(o.reason, ''),
        eventObject(o),
        str(o.message ?? o.note, ''),
        str(io.fieldPath, ''),
        [src.component, src.host].filter(Boolean).join(', '),
        since(first, now),
        num(o.count ?? o.deprecatedCount) || 1,
        o.metadata.name,
      ];
    },
  },
  EndpointSlice: {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    row: (o, now) => {
      const ports = list(o.ports).map((p) => String(p.port));
      const ips = list(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
      const shown = ips.length > 3 ? `${ips.slice(0, 3).join(',')} + ${ips.length - 3} more...` : ips.join(',');
      return [
        o.metadata.name,
        str(o.addressType, 'IPv4'),
        ports.join(',') || '<unset>',
        shown || '<unset>',
        age(o, now),
      ];
    },
  },
  Namespace: {
    columns: [NAME, col('Status'), AGE],
    row: (o, now) => [o.metadata.name, str(rec(o.status).phase, 'Active'), age(o, now)],
  },
  Endpoints: {
    columns: [NAME, col('Endpoints'), AGE],
    row: (o, now) => [o.metadata.name, endpointsText(o), age(o, now)],
  },
  ConfigMap: {
    columns: [NAME, col('Data', 'integer'), AGE],
    row: (o, now) => [
      o.metadata.name,
      Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length,
      age(o, now),
    ],
  },
  Secret: {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    row: (o, now) => [o.metadata.name, str(o.type, 'Opaque'), Object.keys(rec(o.data)).length, age(o, now)],
  },
  PersistentVolumeClaim: {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    row: (o, now) => {
      const spec = rec(o.spec);
      const status = rec(o.status);
      const modes = (Array.isArray(status.accessModes) ? status.accessModes : []).map(
        (m) =>
          ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[String(m)] ??
          String(m),
      );
      return [
        o.metadata.name,
        str(status.phase, 'Pending'),
        str(spec.volumeName, ''),
        str(rec(status.capacity).storage, ''),
        modes.join(','),
        str(spec.storageClassName),
        str(spec.volumeAttributesClassName),
        age(o, now),
        str(spec.volumeMode, 'Filesystem'),
      ];
    },
  },
  StorageClass: {
    columns: [
      NAME,
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion'),
      AGE,
    ],
    row: (o, now) => {
      const isDefault = o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
      return [
        isDefault ? `${o.metadata.name} (default)` : o.metadata.name,
        str(o.provisioner, ''),
        str(o.reclaimPolicy, 'Delete'),
        str(o.volumeBindingMode, 'Immediate'),
        String(o.allowVolumeExpansion === true),
        age(o, now),
      ];
    },
  },
  HorizontalPodAutoscaler: {
    columns: [
      NAME,
      col('Reference'),
      col('Targets'),
      col('MinPods', 'integer'),
      col('MaxPods', 'integer'),
      col('Replicas', 'integer'),
      AGE,
    ],
    row: (o, now) => {
      const spec = rec(o.spec);
      const ref = rec(spec.scaleTargetRef);
      return [
        o.metadata.name,
        `${String(ref.kind)}/${String(ref.name)}`,
        hpaTargets(o),
        num(spec.minReplicas) || 1,
        num(spec.maxReplicas),
        num(rec(o.status).currentReplicas),
        age(o, now),
      ];
    },
  },
  ControllerRevision: {
    columns: [NAME, col('Controller'), col('Revision', 'integer'), AGE],
    row: (o, now) => {
      const owner = o.metadata.ownerReferences?.find((r) => r.controller);
      return [
        o.metadata.name,
        owner ? `${owner.kind.toLowerCase()}.${owner.apiVersion.split('/')[0]}/${owner.name}` : '<none>',
        num(o.revision),
        age(o, now),
      ];
    },
  },
};
