import { CodedError, type ErrorCode } from '../../shared/errors.js';

/** A Kubernetes `meta/v1 Status`, the body every apiserver error carries. */
export interface K8sStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason: string; message: string; field: string }[];
  };
  code: number;
}

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'InternalError'
  | 'TooManyRequests'
  | 'Forbidden'
  | '';

const CODED: Record<number, ErrorCode> = { 400: 'bad_request', 404: 'not_found', 405: 'bad_request', 409: 'conflict' };

/** An error thrown by the cluster store or API server; `status` is the exact body to send. */
export class K8sStatusError extends CodedError {
  readonly status: K8sStatus;

  constructor(status: K8sStatus) {
    super(CODED[status.code] ?? (status.code >= 500 ? 'internal' : 'bad_request'), status.message, {
      detail: { code: status.code, reason: status.reason },
    });
    this.name = 'K8sStatusError';
    this.status = status;
  }
}

export function isK8sStatusError(err: unknown): err is K8sStatusError {
  return err instanceof K8sStatusError;
}

/** Lower-case plural resource name plus group, as the apiserver names them in messages ("deployments.apps"). */
export interface ResourceRef {
  resource: string;
  group: string;
  kind: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

export function failure(
  code: number,
  reason: StatusReason,
  message: string,
  details?: K8sStatus['details'],
): K8sStatusError {
  return new K8sStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

export function notFound(ref: ResourceRef, name: string): K8sStatusError {
  return failure(404, 'NotFound', `${qualified(ref)} "${name}" not found`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });
}

export function alreadyExists(ref: ResourceRef, name: string): K8sStatusError {
  return failure(409, 'AlreadyExists', `${qualified(ref)} "${name}" already exists`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });
}

export function conflict(ref: ResourceRef, name: string): K8sStatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(ref)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: ref.group, kind: ref.resource },
  );
}

export function invalid(
  ref: ResourceRef,
  name: string,
  causes: { field: string; message: string; reason?: string }[],
): K8sStatusError {
  const list = causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field }));
  const text = list.map((c) => `${c.field}: ${c.message}`).join(', ');
  return failure(422, 'Invalid', `${ref.kind}.${ref.group || 'core'} "${name}" is invalid: ${text}`, {
    name,
    group: ref.group,
    kind: ref.kind,
    causes: list,
  });
}

export function badRequest(message: string): K8sStatusError {
  return failure(400, 'BadRequest', message);
}

export function methodNotAllowed(message: string): K8sStatusError {
  return failure(405, 'MethodNotAllowed', message);
}

export function unsupportedMediaType(type: string): K8sStatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${type})`,
  );
}

export function statusSuccess(
  details?: K8sStatus['details'],
): Omit<K8sStatus, 'reason' | 'message'> & { details?: K8sStatus['details'] } {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    ...(details ? { details } : {}),
    code: 200,
  };
}
