/** Runs one Kubernetes API request, turning failures into errors that carry the request, status and body. */
import { ApiException } from '@kubernetes/client-node';
import { UpstreamError } from '../tool.js';

const MAX_BODY = 2000;

export async function kube<T>(clusterName: string, request: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const req = `${request} (cluster ${clusterName})`;
    if (err instanceof ApiException) {
      const body = typeof err.body === 'string' ? err.body : JSON.stringify(err.body);
      let message = `Kubernetes API returned ${err.code}`;
      try {
        const status = JSON.parse(body) as { message?: string; reason?: string };
        if (status.message) message += `: ${status.message}`;
      } catch {
        // body is not a Status object
      }
      throw new UpstreamError(message, { request: req, status: err.code, body: body.slice(0, MAX_BODY) }, err);
    }
    throw new UpstreamError(`Kubernetes API unreachable: ${(err as Error).message}`, { request: req }, err);
  }
}

/** 404 is an answer ("there is no such object") rather than a failure, for lookups that tolerate absence. */
export function isNotFound(err: unknown): boolean {
  return err instanceof UpstreamError && err.upstream.status === 404;
}
