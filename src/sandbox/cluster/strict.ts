import { badRequest } from './status.js';

/**
 * Unknown-field detection for `fieldValidation=Strict` (kubectl's default for create/apply/replace): the
 * fields of the object shapes people write by hand. Fields not described here (deep inside specs) pass.
 */
type Shape = { fields: readonly string[]; nested?: Record<string, Shape>; list?: Record<string, Shape> };

const META: Shape = {
  fields: [
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ],
};

const CONTAINER: Shape = {
  fields: [
    'name',
    'image',
    'command',
    'args',
    'workingDir',
    'ports',
    'envFrom',
    'env',
    'resources',
    'resizePolicy',
    'restartPolicy',
    'volumeMounts',
    'volumeDevices',
    'livenessProbe',
    'readinessProbe',
    'startupProbe',
    'lifecycle',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'imagePullPolicy',
    'securityContext',
    'stdin',
    'stdinOnce',
    'tty',
  ],
};

const POD_SPEC: Shape = {
  fields: [
    'volumes',
    'initContainers',
    'containers',
    'ephemeralContainers',
    'restartPolicy',
    'terminationGracePeriodSeconds',
    'activeDeadlineSeconds',
    'dnsPolicy',
    'nodeSelector',
    'serviceAccountName',
    'serviceAccount',
    'automountServiceAccountToken',
    'nodeName',
    'hostNetwork',
    'hostPID',
    'hostIPC',
    'shareProcessNamespace',
    'securityContext',
    'imagePullSecrets',
    'hostname',
    'subdomain',
    'affinity',
    'schedulerName',
    'tolerations',
    'hostAliases',
    'priorityClassName',
    'priority',
    'dnsConfig',
    'readinessGates',
    'runtimeClassName',
    'enableServiceLinks',
    'preemptionPolicy',
    'overhead',
    'topologySpreadConstraints',
    'setHostnameAsFQDN',
    'os',
    'hostUsers',
    'schedulingGates',
    'resourceClaims',
    'resources',
  ],
  list: { containers: CONTAINER, initContainers: CONTAINER },
};

const TEMPLATE: Shape = { fields: ['metadata', 'spec'], nested: { metadata: META, spec: POD_SPEC } };

const DEPLOYMENT_SPEC: Shape = {
  fields: [
    'replicas',
    'selector',
    'template',
    'strategy',
    'minReadySeconds',
    'revisionHistoryLimit',
    'paused',
    'progressDeadlineSeconds',
  ],
  nested: { template: TEMPLATE },
};

const TOP: Record<string, Shape> = {
  Pod: { fields: ['spec', 'status'], nested: { spec: POD_SPEC } },
  Deployment: { fields: ['spec', 'status'], nested: { spec: DEPLOYMENT_SPEC } },
  ConfigMap: { fields: ['data', 'binaryData', 'immutable'] },
  Secret: { fields: ['data', 'stringData', 'type', 'immutable'] },
  Service: { fields: ['spec', 'status'] },
  Namespace: { fields: ['spec', 'status'] },
};

function check(obj: unknown, shape: Shape, path: string, out: string[]): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const [k, v] of Object.entries(obj)) {
    const at = path ? `${path}.${k}` : k;
    if (!shape.fields.includes(k)) out.push(at);
    else if (shape.nested?.[k]) check(v, shape.nested[k], at, out);
    else {
      const itemShape = shape.list?.[k];
      if (itemShape && Array.isArray(v)) v.forEach((item, i) => void check(item, itemShape, `${at}[${i}]`, out));
    }
  }
}

/** Throws the apiserver's strict decoding error when `obj` has fields its kind does not define. */
export function rejectUnknownFields(obj: Record<string, unknown>, kind: string, version: string): void {
  const top = TOP[kind];
  if (!top) return;
  const unknown: string[] = [];
  check(
    obj,
    { fields: ['apiVersion', 'kind', 'metadata', ...top.fields], nested: { metadata: META, ...top.nested } },
    '',
    unknown,
  );
  if (unknown.length > 0)
    throw badRequest(
      `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`,
    );
}
