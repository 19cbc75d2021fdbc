import { randomBytes } from 'node:crypto';
import type { K8sObject } from './store.js';

export type EventType = 'Normal' | 'Warning';

/** Which component a real cluster would name as the source of an event about this kind. */
function eventSource(kind: string): string {
  switch (kind) {
    case 'Pod':
      return 'kubelet';
    case 'Deployment':
      return 'deployment-controller';
    case 'ReplicaSet':
      return 'replicaset-controller';
    case 'HorizontalPodAutoscaler':
      return 'horizontal-pod-autoscaler';
    case 'PersistentVolumeClaim':
      return 'persistentvolume-controller';
    case 'Node':
      return 'node-controller';
    default:
      return 'sre-nanobot-simulator';
  }
}

/**
 * Events are counted as Kubernetes counts them: the same object, type, reason *and* message are one Event
 * whose count grows; a different message with the same reason is an Event of its own, so no evidence is lost.
 */
export function eventKey(involved: K8sObject, reason: string, message: string, type: EventType): string {
  const m = involved.metadata;
  return [m.namespace ?? '', involved.kind, m.name, m.uid ?? '', reason, type, message].join('\u0000');
}

/** A new core/v1 Event about `involved` (cluster-scoped objects' events live in `default`). */
export function newEvent(
  involved: K8sObject,
  reason: string,
  message: string,
  type: EventType,
  now: string,
): K8sObject {
  const source = eventSource(involved.kind);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${involved.metadata.name}.${randomBytes(8).toString('hex')}`,
      namespace: involved.metadata.namespace ?? 'default',
    },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      namespace: involved.metadata.namespace,
      uid: involved.metadata.uid,
      resourceVersion: involved.metadata.resourceVersion,
    },
    reason,
    message,
    type,
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    eventTime: null,
    source: { component: source },
    reportingComponent: source,
    reportingInstance: '',
  };
}
