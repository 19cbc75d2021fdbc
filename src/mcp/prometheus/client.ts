/** A small Prometheus HTTP API client over fetch: every failure carries the request made and the reply. */
import { callSignal } from '../call-signal.js';
import { NotConfiguredError, UpstreamError } from '../tool.js';

export interface PrometheusDeps {
  /** Base URL, e.g. http://127.0.0.1:9090 (no trailing slash). */
  baseUrl: string | undefined;
  /** Per-request timeout (ms). */
  timeoutMs: number;
  now: () => number;
  fetch?: typeof fetch;
}

const MAX_BODY_IN_ERROR = 2000;

/** GET /api/v1/<path>?params and return `data` of a success envelope. */
export async function promGet(deps: PrometheusDeps, path: string, params: [string, string][] = []): Promise<unknown> {
  if (!deps.baseUrl) {
    throw new NotConfiguredError('Prometheus is not configured: set PROMETHEUS_URL');
  }
  const qs = new URLSearchParams(params).toString();
  const url = `${deps.baseUrl}/api/v1/${path}${qs ? `?${qs}` : ''}`;
  const request = `GET ${url}`;
  const doFetch = deps.fetch ?? fetch;
  let res: Response;
  // The request ends at its own timeout or when the tool call it serves is stopped, whichever comes first.
  const call = callSignal();
  try {
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    const signal = call ? AbortSignal.any([timeout, call]) : timeout;
    res = await doFetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    const reason =
      (err as Error).name === 'TimeoutError'
        ? `no reply within ${deps.timeoutMs} ms`
        : call?.aborted === true
          ? 'the tool call was stopped'
          : String(err);
    throw new UpstreamError(`Prometheus unreachable: ${reason}`, { request }, err);
  }
  const body = await res.text();
  let json: { status?: string; data?: unknown; error?: string; errorType?: string } | undefined;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!res.ok || json?.status !== 'success') {
    const what = json?.error ? `${json.errorType ?? 'error'}: ${json.error}` : `HTTP ${res.status}`;
    throw new UpstreamError(`Prometheus refused the request (${what})`, {
      request,
      status: res.status,
      body: body.length > MAX_BODY_IN_ERROR ? `${body.slice(0, MAX_BODY_IN_ERROR)}…` : body,
    });
  }
  return json.data;
}
