import { resourceRef } from './kinds.js';
import { invalid } from './status.js';
import type { K8sObject } from './store.js';

type Rec = Record<string, unknown>;
type Cause = { field: string; message: string; reason?: string };

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

function arr(v: unknown): Rec[] {
  return Array.isArray(v) ? v.filter((x): x is Rec => rec(x) !== undefined) : [];
}

function podSpecDefaults(spec: Rec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  for (const c of arr(spec.containers)) {
    c.imagePullPolicy ??= typeof c.image === 'string' && c.image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of arr(c.ports)) p.protocol ??= 'TCP';
  }
}

/** Fills the defaults a real apiserver adds, so describe/rollout see the fields they expect. */
export function applyDefaults(obj: K8sObject, nextClusterIp: () => string): void {
  const spec = rec(obj.spec);
  switch (obj.kind) {
    case 'Pod':
      if (spec) podSpecDefaults(spec);
      obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet': {
      if (!spec) break;
      if (obj.kind !== 'DaemonSet') spec.replicas ??= 1;
      if (obj.kind === 'StatefulSet') {
        spec.podManagementPolicy ??= 'OrderedReady';
        spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
        spec.revisionHistoryLimit ??= 10;
      }
      if (obj.kind === 'DaemonSet') {
        spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
        spec.revisionHistoryLimit ??= 10;
      }
      if (obj.kind === 'Deployment') {
        spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
      }
      const tplSpec = rec(rec(spec.template)?.spec);
      if (tplSpec) podSpecDefaults(tplSpec);
      obj.status ??= {};
      break;
    }
    case 'Service':
      if (!spec) break;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (spec.clusterIP === undefined) spec.clusterIP = nextClusterIp();
      spec.clusterIPs ??= [spec.clusterIP];
      for (const p of arr(spec.ports)) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      obj.status ??= { loadBalancer: {} };
      break;
    case 'Namespace':
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.status ??= { phase: 'Active' };
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    case 'Secret': {
      obj.type ??= 'Opaque';
      const plain = rec(obj.stringData);
      if (plain) {
        const encoded = Object.fromEntries(
          Object.entries(plain).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')]),
        );
        obj.data = { ...rec(obj.data), ...encoded };
        delete obj.stringData;
      }
      break;
    }
    case 'PersistentVolumeClaim':
      if (spec) spec.volumeMode ??= 'Filesystem';
      obj.status ??= { phase: 'Pending' };
      break;
    default:
      break;
  }
}

function validateContainers(containers: unknown, path: string, causes: Cause[]): void {
  const list = arr(containers);
  if (list.length === 0) causes.push({ field: path, message: 'Required value', reason: 'FieldValueRequired' });
  list.forEach((c, i) => {
    if (typeof c.name !== 'string' || !c.name)
      causes.push({ field: `${path}[${i}].name`, message: 'Required value', reason: 'FieldValueRequired' });
    if (typeof c.image !== 'string' || !c.image)
      causes.push({ field: `${path}[${i}].image`, message: 'Required value', reason: 'FieldValueRequired' });
  });
}

function selectorMatchesTemplate(spec: Rec, causes: Cause[]): void {
  const selector = rec(rec(spec.selector)?.matchLabels);
  const labels = rec(rec(rec(spec.template)?.metadata)?.labels) ?? {};
  if (!rec(spec.selector)) {
    causes.push({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
    return;
  }
  if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v))
    causes.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
    });
}

/** Throws a 422 `Invalid` Status listing every problem, as the apiserver does. */
export function validate(obj: K8sObject): void {
  const causes: Cause[] = [];
  const name = obj.metadata.name;
  if (!name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required' });
  else if (name.length > 253 || !DNS_SUBDOMAIN.test(name))
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  const spec = rec(obj.spec);
  switch (obj.kind) {
    case 'Pod':
      validateContainers(spec?.containers, 'spec.containers', causes);
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      if (!spec) {
        causes.push({ field: 'spec', message: 'Required value', reason: 'FieldValueRequired' });
        break;
      }
      if (typeof spec.replicas === 'number' && spec.replicas < 0)
        causes.push({
          field: 'spec.replicas',
          message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
        });
      selectorMatchesTemplate(spec, causes);
      validateContainers(rec(rec(spec.template)?.spec)?.containers, 'spec.template.spec.containers', causes);
      break;
    default:
      break;
  }
  if (causes.length > 0) throw invalid(resourceRef(obj.kind), name ?? '', causes);
}
