/** A small Alertmanager API v2 client over fetch for the tools: every failure carries the request and reply. */
import { callSignal } from '../call-signal.js';
import { NotConfiguredError, UpstreamError } from '../tool.js';

export interface AlertmanagerDeps {
  /** Base URL, e.g. http://alertmanager.monitoring:9093 (no trailing slash). */
  baseUrl: string | undefined;
  /** Per-request timeout (ms). */
  timeoutMs: number;
  now: () => number;
  fetch?: typeof fetch;
}

const MAX_BODY_IN_ERROR = 2000;

/** One request to `/api/v2/<path>`; returns the parsed JSON body (undefined for an empty one). */
export async function amRequest(
  deps: AlertmanagerDeps,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: [string, string][] = [],
  body?: unknown,
): Promise<unknown> {
  if (!deps.baseUrl) throw new NotConfiguredError('Alertmanager is not configured: set ALERTMANAGER_URL');
  const qs = new URLSearchParams(params).toString();
  const url = `${deps.baseUrl}/api/v2/${path}${qs ? `?${qs}` : ''}`;
  const request = `${method} ${url}`;
  const call = callSignal();
  let res: Response;
  try {
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    res = await (deps.fetch ?? fetch)(url, {
      method,
      signal: call ? AbortSignal.any([timeout, call]) : timeout,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    const reason =
      (err as Error).name === 'TimeoutError'
        ? `no reply within ${deps.timeoutMs} ms`
        : call?.aborted === true
          ? 'the tool call was stopped'
          : String(err);
    throw new UpstreamError(`Alertmanager unreachable: ${reason}`, { request }, err);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.trim();
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'string') detail = parsed;
      else if (parsed && typeof parsed === 'object' && 'message' in parsed) detail = String(parsed.message);
    } catch {
      // a plain-text body
    }
    throw new UpstreamError(`Alertmanager answered ${res.status}${detail ? `: ${detail.slice(0, 300)}` : ''}`, {
      request,
      status: res.status,
      body: text.length > MAX_BODY_IN_ERROR ? `${text.slice(0, MAX_BODY_IN_ERROR)}…` : text,
    });
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UpstreamError(
      'Alertmanager answered with something that is not JSON',
      { request, status: res.status, body: text.slice(0, MAX_BODY_IN_ERROR) },
      err,
    );
  }
}
